/**
 * The generated Terraform L1 classes the constructs render to, each loaded on first use: importing
 * Scaleout loads neither the bindings nor the Terraform CDK engine they extend, so a Heat-only
 * program never pays for them (and needs no engine installed).
 */
/* eslint-disable @typescript-eslint/no-require-imports */

function load<T>(module: string): T {
  return require(`../../../.gen/providers/openstack/${module}`) as T;
}

/** The L1 classes by name; each getter requires its module once (Node caches it). */
export const L1 = {
  get ComputeInstanceV2(): typeof import('../../../.gen/providers/openstack/compute-instance-v2').ComputeInstanceV2 {
    return load<typeof import('../../../.gen/providers/openstack/compute-instance-v2')>('compute-instance-v2').ComputeInstanceV2;
  },
  get ComputeKeypairV2(): typeof import('../../../.gen/providers/openstack/compute-keypair-v2').ComputeKeypairV2 {
    return load<typeof import('../../../.gen/providers/openstack/compute-keypair-v2')>('compute-keypair-v2').ComputeKeypairV2;
  },
  get ComputeServergroupV2(): typeof import('../../../.gen/providers/openstack/compute-servergroup-v2').ComputeServergroupV2 {
    return load<typeof import('../../../.gen/providers/openstack/compute-servergroup-v2')>('compute-servergroup-v2').ComputeServergroupV2;
  },
  get DataOpenstackComputeFlavorV2(): typeof import('../../../.gen/providers/openstack/data-openstack-compute-flavor-v2').DataOpenstackComputeFlavorV2 {
    return load<typeof import('../../../.gen/providers/openstack/data-openstack-compute-flavor-v2')>('data-openstack-compute-flavor-v2').DataOpenstackComputeFlavorV2;
  },
  get DataOpenstackImagesImageV2(): typeof import('../../../.gen/providers/openstack/data-openstack-images-image-v2').DataOpenstackImagesImageV2 {
    return load<typeof import('../../../.gen/providers/openstack/data-openstack-images-image-v2')>('data-openstack-images-image-v2').DataOpenstackImagesImageV2;
  },
  get DataOpenstackLbFlavorV2(): typeof import('../../../.gen/providers/openstack/data-openstack-lb-flavor-v2').DataOpenstackLbFlavorV2 {
    return load<typeof import('../../../.gen/providers/openstack/data-openstack-lb-flavor-v2')>('data-openstack-lb-flavor-v2').DataOpenstackLbFlavorV2;
  },
  get DataOpenstackNetworkingFloatingipV2(): typeof import('../../../.gen/providers/openstack/data-openstack-networking-floatingip-v2').DataOpenstackNetworkingFloatingipV2 {
    return load<typeof import('../../../.gen/providers/openstack/data-openstack-networking-floatingip-v2')>('data-openstack-networking-floatingip-v2').DataOpenstackNetworkingFloatingipV2;
  },
  get DataOpenstackNetworkingNetworkV2(): typeof import('../../../.gen/providers/openstack/data-openstack-networking-network-v2').DataOpenstackNetworkingNetworkV2 {
    return load<typeof import('../../../.gen/providers/openstack/data-openstack-networking-network-v2')>('data-openstack-networking-network-v2').DataOpenstackNetworkingNetworkV2;
  },
  get DataOpenstackNetworkingSecgroupV2(): typeof import('../../../.gen/providers/openstack/data-openstack-networking-secgroup-v2').DataOpenstackNetworkingSecgroupV2 {
    return load<typeof import('../../../.gen/providers/openstack/data-openstack-networking-secgroup-v2')>('data-openstack-networking-secgroup-v2').DataOpenstackNetworkingSecgroupV2;
  },
  get DataOpenstackNetworkingSubnetV2(): typeof import('../../../.gen/providers/openstack/data-openstack-networking-subnet-v2').DataOpenstackNetworkingSubnetV2 {
    return load<typeof import('../../../.gen/providers/openstack/data-openstack-networking-subnet-v2')>('data-openstack-networking-subnet-v2').DataOpenstackNetworkingSubnetV2;
  },
  get DbInstanceV1(): typeof import('../../../.gen/providers/openstack/db-instance-v1').DbInstanceV1 {
    return load<typeof import('../../../.gen/providers/openstack/db-instance-v1')>('db-instance-v1').DbInstanceV1;
  },
  get LbListenerV2(): typeof import('../../../.gen/providers/openstack/lb-listener-v2').LbListenerV2 {
    return load<typeof import('../../../.gen/providers/openstack/lb-listener-v2')>('lb-listener-v2').LbListenerV2;
  },
  get LbLoadbalancerV2(): typeof import('../../../.gen/providers/openstack/lb-loadbalancer-v2').LbLoadbalancerV2 {
    return load<typeof import('../../../.gen/providers/openstack/lb-loadbalancer-v2')>('lb-loadbalancer-v2').LbLoadbalancerV2;
  },
  get LbMemberV2(): typeof import('../../../.gen/providers/openstack/lb-member-v2').LbMemberV2 {
    return load<typeof import('../../../.gen/providers/openstack/lb-member-v2')>('lb-member-v2').LbMemberV2;
  },
  get LbMonitorV2(): typeof import('../../../.gen/providers/openstack/lb-monitor-v2').LbMonitorV2 {
    return load<typeof import('../../../.gen/providers/openstack/lb-monitor-v2')>('lb-monitor-v2').LbMonitorV2;
  },
  get LbPoolV2(): typeof import('../../../.gen/providers/openstack/lb-pool-v2').LbPoolV2 {
    return load<typeof import('../../../.gen/providers/openstack/lb-pool-v2')>('lb-pool-v2').LbPoolV2;
  },
  get NetworkingFloatingipAssociateV2(): typeof import('../../../.gen/providers/openstack/networking-floatingip-associate-v2').NetworkingFloatingipAssociateV2 {
    return load<typeof import('../../../.gen/providers/openstack/networking-floatingip-associate-v2')>('networking-floatingip-associate-v2').NetworkingFloatingipAssociateV2;
  },
  get NetworkingFloatingipV2(): typeof import('../../../.gen/providers/openstack/networking-floatingip-v2').NetworkingFloatingipV2 {
    return load<typeof import('../../../.gen/providers/openstack/networking-floatingip-v2')>('networking-floatingip-v2').NetworkingFloatingipV2;
  },
  get NetworkingNetworkV2(): typeof import('../../../.gen/providers/openstack/networking-network-v2').NetworkingNetworkV2 {
    return load<typeof import('../../../.gen/providers/openstack/networking-network-v2')>('networking-network-v2').NetworkingNetworkV2;
  },
  get NetworkingPortV2(): typeof import('../../../.gen/providers/openstack/networking-port-v2').NetworkingPortV2 {
    return load<typeof import('../../../.gen/providers/openstack/networking-port-v2')>('networking-port-v2').NetworkingPortV2;
  },
  get NetworkingRouterInterfaceV2(): typeof import('../../../.gen/providers/openstack/networking-router-interface-v2').NetworkingRouterInterfaceV2 {
    return load<typeof import('../../../.gen/providers/openstack/networking-router-interface-v2')>('networking-router-interface-v2').NetworkingRouterInterfaceV2;
  },
  get NetworkingRouterV2(): typeof import('../../../.gen/providers/openstack/networking-router-v2').NetworkingRouterV2 {
    return load<typeof import('../../../.gen/providers/openstack/networking-router-v2')>('networking-router-v2').NetworkingRouterV2;
  },
  get NetworkingSecgroupRuleV2(): typeof import('../../../.gen/providers/openstack/networking-secgroup-rule-v2').NetworkingSecgroupRuleV2 {
    return load<typeof import('../../../.gen/providers/openstack/networking-secgroup-rule-v2')>('networking-secgroup-rule-v2').NetworkingSecgroupRuleV2;
  },
  get NetworkingSecgroupV2(): typeof import('../../../.gen/providers/openstack/networking-secgroup-v2').NetworkingSecgroupV2 {
    return load<typeof import('../../../.gen/providers/openstack/networking-secgroup-v2')>('networking-secgroup-v2').NetworkingSecgroupV2;
  },
  get NetworkingSubnetV2(): typeof import('../../../.gen/providers/openstack/networking-subnet-v2').NetworkingSubnetV2 {
    return load<typeof import('../../../.gen/providers/openstack/networking-subnet-v2')>('networking-subnet-v2').NetworkingSubnetV2;
  },
  get ObjectstorageContainerV1(): typeof import('../../../.gen/providers/openstack/objectstorage-container-v1').ObjectstorageContainerV1 {
    return load<typeof import('../../../.gen/providers/openstack/objectstorage-container-v1')>('objectstorage-container-v1').ObjectstorageContainerV1;
  },
  get OrchestrationStackV1(): typeof import('../../../.gen/providers/openstack/orchestration-stack-v1').OrchestrationStackV1 {
    return load<typeof import('../../../.gen/providers/openstack/orchestration-stack-v1')>('orchestration-stack-v1').OrchestrationStackV1;
  },
  get OpenstackProvider(): typeof import('../../../.gen/providers/openstack/provider').OpenstackProvider {
    return load<typeof import('../../../.gen/providers/openstack/provider')>('provider').OpenstackProvider;
  },
};
