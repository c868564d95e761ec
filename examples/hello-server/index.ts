/**
 * The smallest Scaleout app: one web server in a security group that lets HTTP in from
 * anywhere and SSH only from an admin network.
 */
import type { Construct } from 'constructs';
import { CloudConfig, Flavor, Image, Network, Peer, Port, SecurityGroup, Server, UserData } from '../../src';

/** What the example is, for the template's description. */
export const description = 'One web server behind a security group';

/** Adds the example's constructs to `stack`: a Scaleout `Stack` or a cdktf/cdktn `TerraformStack`. */
export function build(stack: Construct): void {
  const network = Network.fromName(stack, 'PrivateNet', 'private');
  const web = new SecurityGroup(stack, 'WebSg', { description: 'HTTP from anywhere, SSH from the admin network' });
  web.addIngressRule(Peer.anyIpv4(), Port.tcp(80));
  web.addIngressRule(Peer.ipv4('198.51.100.0/24'), Port.tcp(22), { description: 'SSH from the admin network' });
  new Server(stack, 'Web', {
    image: Image.fromName('ubuntu-22.04'),
    flavor: Flavor.fromName('m1.small', { vcpus: 1 }),
    keyName: 'ops',
    networks: [network],
    securityGroups: [web],
    userData: UserData.forCloudConfig(
      new CloudConfig().addPackages('nginx').addRunCommands('systemctl enable --now nginx'),
    ),
    metadata: { role: 'web' },
  });
}
