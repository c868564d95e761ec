/**
 * The consumer's own stack: a TerraformStack subclass holding its own L1 resource (a security
 * group from Scaleout's bindings), its own backend, and Scaleout's VirtualNetwork + ApiTier.
 */
import { Construct } from 'constructs';
import { LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { NetworkingSecgroupV2 } from 'scaleout/providers/openstack/networking-secgroup-v2';
import { ApiTier, Flavor, Image, Stack, VirtualNetwork } from 'scaleout';

export interface ConsumerStackOptions {
  /** Adds the user's own Terraform-only elements (an L1 security group and a TerraformOutput). */
  readonly terraformOnly: boolean;
}

export class ConsumerStack extends TerraformStack {
  public readonly api: ApiTier;
  public readonly adminGroup?: NetworkingSecgroupV2;

  constructor(scope: Construct, id: string, options: ConsumerStackOptions) {
    super(scope, id);
    new LocalBackend(this, { path: 'consumer-state/terraform.tfstate' });
    Stack.configure(this, { description: 'A consumer app: its own resources next to Scaleout constructs' });

    const network = new VirtualNetwork(this, 'Network', { externalNetworkName: 'public', cidr: '10.20.0.0/24' });
    this.api = new ApiTier(this, 'Api', {
      image: Image.fromName('ubuntu-22.04'),
      flavor: Flavor.fromName('m1.small', { vcpus: 1 }),
      subnet: network.subnet,
      externalNetworkName: 'public',
      minSize: 2,
      maxSize: 5,
    });

    if (options.terraformOnly) {
      this.adminGroup = new NetworkingSecgroupV2(this, 'AdminSg', {
        name: 'consumer-admin',
        description: 'the consumer app own security group',
      });
      // Its own output of a Scaleout value (Scaleout's own outputs are api_url, api_address, ...).
      new TerraformOutput(this, 'consumer_url', { value: this.api.url });
    }
  }
}
