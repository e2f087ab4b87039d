package dev.donations.operator.campaign.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.TestCampaigns;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import org.junit.jupiter.api.Test;

class NetworkPolicyTest {

  final ResolvedCampaign resolved = TestCampaigns.resolved(TestCampaigns.campaign());

  @Test
  void sitePodsTalkOnlyToTheIngressControllerDnsTheDatabaseAndNfs() {
    var policy = new SiteNetworkPolicy().desired(resolved, null);
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    var from = policy.getSpec().getIngress().get(0);
    assertThat(from.getFrom().get(0).getNamespaceSelector().getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "ingress-nginx");
    assertThat(from.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(8080);
    assertThat(policy.getSpec().getEgress())
        .flatExtracting(r -> r.getPorts())
        .extracting(NetworkPolicyPort::getProtocol, p -> p.getPort().getIntVal())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("UDP", 53),
                org.assertj.core.groups.Tuple.tuple("TCP", 53),
            org.assertj.core.groups.Tuple.tuple("TCP", 3306),
                org.assertj.core.groups.Tuple.tuple("TCP", 2049));
  }

  @Test
  void fallbackPodsHaveNoEgressAtAll() {
    var policy = new FallbackNetworkPolicy().desired(resolved, null);
    assertThat(policy.getSpec().getPolicyTypes()).contains("Egress");
    assertThat(policy.getSpec().getEgress()).isEmpty();
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/component", "fallback");
  }
}
