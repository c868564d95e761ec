import { fitName, SERVICE_NAME_MAX_LENGTH } from '../../core/names';
import { checkProps } from '../../core/props';
import { MESSAGE_QUEUE_PROPS } from '../prop-specs';
import { Construct } from 'constructs';
import { ErrorCode, propError } from '../../core/errors';
import { requireName } from '../../core/validate';
import { Value } from '../../core/value';
import type { Server } from '../compute/server';
import { Connections, IConnectable } from '../network/connections';
import { Port } from '../network/port';
import { SecurityGroup } from '../network/security-group';
import { GeneratedPassword } from './generated-password';
import { createServiceServer, DISCOVER_PRIVATE_IP, ServiceHostProps, validateServiceHost } from './service-host';

/** The AMQP port RabbitMQ listens on. */
export const AMQP_PORT = 5672;

/** Properties of a `MessageQueue`. */
export interface MessageQueueProps extends ServiceHostProps {
  /**
   * The RabbitMQ virtual host the application uses (letters, digits, `_` and `-`).
   * @default 'app'
   */
  readonly vhost?: string;
  /**
   * The RabbitMQ user the application connects as; it gets all permissions on `vhost` only.
   * @default 'app'
   */
  readonly username?: string;
}

/**
 * A RabbitMQ broker on a server of its own, where API servers put tasks and workers take them.
 * cloud-init installs `rabbitmq-server`, listens on the private address (and loopback) only,
 * creates the vhost and a user whose password is generated (see `GeneratedPassword`), and
 * deletes the default `guest` user. No port is open until you say who may connect:
 *
 * @example
 * const queue = new MessageQueue(this, 'Queue', { image, flavor, networks: [net] });
 * queue.connections.allowDefaultPortFrom(apiServers);
 * queue.connections.allowDefaultPortFrom(workers);
 */
export class MessageQueue extends Construct implements IConnectable {
  /** The broker's security group, with a default port (5672). */
  public readonly connections: Connections;
  /** The server running the broker. */
  public readonly server: Server;
  /** The security group of the server (no ingress rule until something is allowed). */
  public readonly securityGroup: SecurityGroup;
  /** The server's private IP address. */
  public readonly host: Value;
  /** The AMQP port (5672). */
  public readonly port: Value;
  /** The virtual host. */
  public readonly vhost: string;
  /** The user name. */
  public readonly username: string;
  /** The user's password, a secret (see `GeneratedPassword`). */
  public readonly password: Value;
  /** The generated password (Terraform: the variable the user sets). */
  public readonly generatedPassword: GeneratedPassword;

  constructor(scope: Construct, id: string, queueProps: MessageQueueProps) {
    super(scope, id);
    const props = checkProps(this, queueProps, MESSAGE_QUEUE_PROPS, { fix: 'pass { image, flavor, networks }' });
    validateServiceHost(this, props);
    requireName(this, 'vhost', props.vhost, {
      maxLength: 64,
      pattern: /^[A-Za-z0-9_-]+$/,
      patternText: 'letters, digits, underscores and dashes',
    });
    requireName(this, 'username', props.username, {
      maxLength: 32,
      pattern: /^[A-Za-z][A-Za-z0-9_-]*$/,
      patternText: 'a letter, then letters, digits, underscores and dashes',
    });
    if (props.username === 'guest') {
      throw propError(this, ErrorCode.CONFLICT, 'username', props.username, 'must not be RabbitMQ\'s default user, which is deleted', "pick another name, e.g. 'app'");
    }
    this.vhost = props.vhost ?? 'app';
    this.username = props.username ?? 'app';

    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', { description: fitName(`RabbitMQ ${this.node.path}`, SERVICE_NAME_MAX_LENGTH) });
    this.connections = new Connections({ securityGroups: [this.securityGroup], defaultPort: Port.tcp(AMQP_PORT) });
    this.generatedPassword = new GeneratedPassword(this, 'Password', { purpose: fitName(`RabbitMQ user '${this.username}' of ${this.node.path}`, SERVICE_NAME_MAX_LENGTH) });
    this.password = this.generatedPassword.value;
    this.server = createServiceServer(this, 'Resource', props, this.securityGroup, {
      packages: ['rabbitmq-server'],
      scriptName: 'scaleout-rabbitmq-setup',
      script: `${DISCOVER_PRIVATE_IP}
cat > /etc/rabbitmq/rabbitmq.conf <<EOF
listeners.tcp.private = $PRIVATE_IP:${AMQP_PORT}
listeners.tcp.local = 127.0.0.1:${AMQP_PORT}
loopback_users.guest = true
EOF
systemctl enable rabbitmq-server
systemctl restart rabbitmq-server
rabbitmqctl await_startup
rabbitmqctl add_vhost '${this.vhost}'
rabbitmqctl add_user '${this.username}' '@@RABBITMQ_PASSWORD@@'
rabbitmqctl set_permissions -p '${this.vhost}' '${this.username}' '.*' '.*' '.*'
if rabbitmqctl list_users -q | grep -q '^guest'; then rabbitmqctl delete_user guest; fi`,
      substitutions: [['@@RABBITMQ_PASSWORD@@', this.password]],
    });
    this.host = this.server.privateIp;
    this.port = Value.literal(AMQP_PORT);
  }
}
