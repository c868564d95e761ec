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
import type { Duration } from '../../core/duration';
import type { CloudConfig } from '../compute/user-data';
import {
  DEFAULT_QUEUE_DEPTH_ARCHIVE_POLICY,
  DEFAULT_QUEUE_DEPTH_INTERVAL,
  QUEUE_DEPTH_FILES,
  QUEUE_DEPTH_RESOURCE_TYPE,
  QUEUE_DEPTH_SCRIPT,
  QUEUE_DEPTH_UNIT,
  queueDepthConfig,
  queueDepthCredentials,
  queueDepthMetricName,
  queueDepthResourceId,
} from './queue-depth-publisher';
import { createServiceServer, DISCOVER_PRIVATE_IP, serviceCloudConfig, ServiceHostProps, validateServiceHost } from './service-host';

/** Options of `MessageQueue.publishDepth`. */
export interface QueueDepthPublishOptions {
  /**
   * The Gnocchi archive policy of the metric (it must offer the aggregation the alarms read and
   * their granularity). The first call on a queue server sets it for all its queues.
   * @default 'low' - Gnocchi's built-in policy: 5-minute points with mean, min, max, sum, std, count
   */
  readonly archivePolicy?: string;
  /**
   * How often the publisher posts (at most the alarms' granularity, so every period has points).
   * The first call on a queue server sets it.
   * @default Duration.seconds(60)
   */
  readonly interval?: Duration;
}

/** Where `MessageQueue.publishDepth` writes a queue's depth. */
export interface QueueDepthPublication {
  /** The Gnocchi metric, `rabbitmq.<queue>.messages_ready`. */
  readonly metricName: string;
  /** The id of the Gnocchi resource holding it (derived from the queue server's id). */
  readonly resourceId: Value;
  /** Its resource type (`generic`). */
  readonly resourceType: string;
  /** The metric's archive policy. */
  readonly archivePolicy: string;
  /** How often a measure is posted. */
  readonly interval: Duration;
}

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
  private readonly bootConfig: CloudConfig;
  private publisher?: { archivePolicy: string; interval: Duration };
  private readonly published = new Map<string, QueueDepthPublication>();

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
    this.bootConfig = serviceCloudConfig({
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
    this.server = createServiceServer(this, 'Resource', props, this.securityGroup, this.bootConfig);
    this.host = this.server.privateIp;
    this.port = Value.literal(AMQP_PORT);
  }

  /**
   * Publishes the depth (`messages_ready`) of `queueName` in the vhost to Gnocchi, for alarms to
   * read (`WorkerScaling.queueDepth` calls it). The server runs a small publisher
   * (`scaleout-queue-depth`, a systemd service) that posts every `interval` into a `generic`
   * resource it creates itself, authenticated by a Keystone application credential of a member
   * of the stack's project: the stack gets the parameters (Terraform: variables)
   * `queue_depth_auth_url`, `queue_depth_credential_id` and `queue_depth_credential_secret`.
   * See `queue-depth-publisher.ts` for why this works under Gnocchi's default policy.
   */
  public publishDepth(queueName: string, options: QueueDepthPublishOptions = {}): QueueDepthPublication {
    requireName(this, 'publishDepth.queueName', queueName, { maxLength: 200, pattern: /^[A-Za-z0-9_.-]+$/, patternText: 'letters, digits, dots, underscores and dashes' });
    if (queueName === undefined) {
      throw propError(this, ErrorCode.REQUIRED, 'publishDepth.queueName', undefined, 'is required', "name the queue the workers consume, e.g. 'tasks'");
    }
    requireName(this, 'publishDepth.archivePolicy', options.archivePolicy, { maxLength: 255, pattern: /^[A-Za-z0-9_.-]+$/, patternText: 'letters, digits, dots, underscores and dashes' });
    options.interval?.validate(this, 'publishDepth.interval', 10, 3600);
    const existing = this.published.get(queueName);
    if (existing) return existing;
    if (this.publisher === undefined) {
      this.publisher = { archivePolicy: options.archivePolicy ?? DEFAULT_QUEUE_DEPTH_ARCHIVE_POLICY, interval: options.interval ?? DEFAULT_QUEUE_DEPTH_INTERVAL };
      const credentials = queueDepthCredentials();
      this.bootConfig
        .addFile({ path: QUEUE_DEPTH_FILES.SCRIPT, permissions: '0755', owner: 'root:root', content: QUEUE_DEPTH_SCRIPT })
        .addFile({
          path: QUEUE_DEPTH_FILES.CONFIG,
          permissions: '0600',
          owner: 'root:root',
          content: queueDepthConfig({ vhost: this.vhost, archivePolicy: this.publisher.archivePolicy, intervalSeconds: this.publisher.interval.toSeconds() }),
        })
        .addFile({ path: QUEUE_DEPTH_FILES.UNIT, permissions: '0644', content: QUEUE_DEPTH_UNIT })
        .addRunCommands('systemctl daemon-reload', 'systemctl enable --now scaleout-queue-depth.service')
        .substitute('@@QUEUE_DEPTH_AUTH_URL@@', credentials.authUrl)
        .substitute('@@QUEUE_DEPTH_CREDENTIAL_ID@@', credentials.credentialId)
        .substitute('@@QUEUE_DEPTH_CREDENTIAL_SECRET@@', credentials.credentialSecret);
    } else if (
      (options.archivePolicy !== undefined && options.archivePolicy !== this.publisher.archivePolicy) ||
      (options.interval !== undefined && options.interval.toSeconds() !== this.publisher.interval.toSeconds())
    ) {
      throw propError(
        this,
        ErrorCode.CONFLICT,
        'publishDepth.options',
        options,
        `must match the first call on this queue server (archivePolicy '${this.publisher.archivePolicy}', interval ${this.publisher.interval.toSeconds()} s): one publisher serves every queue`,
        'pass the same archivePolicy and interval, or leave them out',
      );
    }
    const metricName = queueDepthMetricName(queueName);
    this.bootConfig.addFile({ path: `${QUEUE_DEPTH_FILES.QUEUES}/${queueName}`, permissions: '0644', content: `${metricName}\n` });
    const publication: QueueDepthPublication = {
      metricName,
      resourceId: queueDepthResourceId(this.server),
      resourceType: QUEUE_DEPTH_RESOURCE_TYPE,
      archivePolicy: this.publisher.archivePolicy,
      interval: this.publisher.interval,
    };
    this.published.set(queueName, publication);
    return publication;
  }
}
