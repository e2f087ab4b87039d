package dev.donations.operator.campaign.network;

import dev.donations.operator.campaign.ResolvedCampaign;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;

/** Rules shared by the campaign's NetworkPolicies. */
final class CampaignNetworkPolicies {

  static final int DNS_PORT = 53;
  static final int MYSQL_PORT = 3306;
  static final int HTTPS_PORT = 443;
  static final String NAMESPACE_LABEL = "kubernetes.io/metadata.name";

  private CampaignNetworkPolicies() {}

  /**
   * Only the proxies may connect, on the pods' http port: pods in the proxies' namespaces (the
   * ingress controller's, the Gateway's), and the class's address blocks of proxies outside the
   * cluster (a load balancer with IP targets). One namespace is a plain label match, as it always
   * was.
   */
  static NetworkPolicyIngressRule fromProxies(ResolvedCampaign.Routing routing, int port) {
    java.util.List<String> namespaces = routing.proxyNamespaces();
    var selector = new io.fabric8.kubernetes.api.model.LabelSelectorBuilder();
    if (namespaces.size() == 1) {
      selector.addToMatchLabels(NAMESPACE_LABEL, namespaces.get(0));
    } else {
      selector
          .addNewMatchExpression()
          .withKey(NAMESPACE_LABEL)
          .withOperator("In")
          .withValues(namespaces)
          .endMatchExpression();
    }
    var rule =
        new NetworkPolicyIngressRuleBuilder()
            .addNewFrom()
            .withNamespaceSelector(selector.build())
            .endFrom();
    for (String cidr : routing.proxyCidrs()) {
      rule.addNewFrom().withNewIpBlock().withCidr(cidr).endIpBlock().endFrom();
    }
    return rule.withPorts(
            new NetworkPolicyPortBuilder()
                .withProtocol("TCP")
                .withPort(new IntOrString(port))
                .build())
        .build();
  }

  /** DNS over UDP and TCP, to any resolver. */
  static NetworkPolicyEgressRule dns() {
    return new NetworkPolicyEgressRuleBuilder()
        .withPorts(
            new NetworkPolicyPortBuilder()
                .withProtocol("UDP")
                .withPort(new IntOrString(DNS_PORT))
                .build(),
            new NetworkPolicyPortBuilder()
                .withProtocol("TCP")
                .withPort(new IntOrString(DNS_PORT))
                .build())
        .build();
  }

  /** HTTPS to the given blocks (payment providers and the like). */
  static NetworkPolicyEgressRule https(java.util.List<String> cidrs) {
    return tcpTo(HTTPS_PORT, cidrs);
  }

  /**
   * One TCP port to the given blocks only. Never called with none: a rule without peers would allow
   * every address.
   */
  static NetworkPolicyEgressRule tcpTo(int port, java.util.List<String> cidrs) {
    if (cidrs.isEmpty()) {
      throw new IllegalArgumentException("an egress rule needs at least one block");
    }
    return new NetworkPolicyEgressRuleBuilder()
        .withTo(
            cidrs.stream()
                .map(
                    c ->
                        new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder()
                            .withNewIpBlock()
                            .withCidr(c)
                            .endIpBlock()
                            .build())
                .toList())
        .withPorts(
            new NetworkPolicyPortBuilder()
                .withProtocol("TCP")
                .withPort(new IntOrString(port))
                .build())
        .build();
  }

  /** The port an engine listens on unless the instance was created with another. */
  static int defaultPort(dev.donations.operator.api.v1alpha1.DatabaseClassSpec.Engine engine) {
    return switch (engine) {
      case mysql, mariadb -> MYSQL_PORT;
    };
  }
}
