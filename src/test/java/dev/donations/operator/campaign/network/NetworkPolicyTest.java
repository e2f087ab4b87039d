package dev.donations.operator.campaign.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.TestCampaigns;
import dev.donations.operator.campaign.database.DatabaseInstance;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NetworkPolicyTest {

  static final List<String> SUBNETS = List.of("10.42.0.0/24", "10.42.1.0/24", "10.42.2.0/24");

  final ResolvedCampaign resolved = TestCampaigns.resolved(TestCampaigns.campaign());
  final SubnetLookup found = SubnetLookup.found("private", SUBNETS);

  /** The database as RDS reports it once available, on a port that is not the engine's default. */
  static DatabaseInstance databaseOnPort(int port) {
    return new DatabaseInstance(
        "dc-radio-song-request",
        "available",
        "db.example",
        port,
        "db.t4g.medium",
        20,
        false,
        true,
        "dc-radio-song-request-params",
        "arn:aws:rds:eu-west-1:000000000000:db:dc-radio-song-request",
        "uid");
  }

  NetworkPolicy desired(Optional<DatabaseInstance> database, SubnetLookup subnets) {
    FakeContext context = new FakeContext().put(SubnetLookup.CONTEXT_KEY, subnets);
    database.ifPresent(db -> context.secondary(DatabaseInstance.class, db));
    return new SiteNetworkPolicy().desired(resolved, context);
  }

  @Test
  void sitePodsTalkOnlyToTheIngressControllerDnsAndTheDatabase() {
    var policy = desired(Optional.of(databaseOnPort(3306)), found);
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    var from = policy.getSpec().getIngress().get(0);
    assertThat(from.getFrom().get(0).getNamespaceSelector().getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "ingress-nginx");
    assertThat(from.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(8080);
    assertThat(policy.getSpec().getEgress())
        .flatExtracting(NetworkPolicyEgressRule::getPorts)
        .extracting(NetworkPolicyPort::getProtocol, p -> p.getPort().getIntVal())
        .containsExactlyInAnyOrder(tuple("UDP", 53), tuple("TCP", 53), tuple("TCP", 3306));
  }

  @Test
  void theDatabaseRuleNamesTheObservedPortAndExactlyTheSubnetBlocksOfTheClassGroup() {
    var policy = desired(Optional.of(databaseOnPort(41234)), found);
    NetworkPolicyEgressRule database = ruleFor(policy, 41234).orElseThrow();
    assertThat(database.getPorts())
        .extracting(NetworkPolicyPort::getProtocol, p -> p.getPort().getIntVal())
        .containsExactly(tuple("TCP", 41234));
    assertThat(database.getTo())
        .extracting(p -> p.getIpBlock().getCidr())
        .containsExactlyInAnyOrderElementsOf(SUBNETS);
    assertThat(ruleFor(policy, 3306)).as("the engine's default port").isEmpty();
  }

  @Test
  void beforeTheEndpointIsKnownTheRuleUsesTheEnginesDefaultPortThenTheLastRecordedOne() {
    assertThat(ruleFor(desired(Optional.empty(), found), 3306)).isPresent();

    var recorded = TestCampaigns.campaign();
    recorded.setStatus(new CharityCampaignStatus());
    recorded.getStatus().database = new CharityCampaignStatus.DatabaseStatus();
    recorded.getStatus().database.port = 41234;
    assertThat(SiteNetworkPolicy.databasePort(TestCampaigns.resolved(recorded), Optional.empty()))
        .isEqualTo(41234);
  }

  @Test
  void noRuleOpensAPortToAnyAddressAndThereIsNoNfsRule() {
    var policy = desired(Optional.of(databaseOnPort(41234)), found);
    assertEveryRuleButDnsNamesItsDestinations(policy);
    assertThat(policy.getSpec().getEgress())
        .flatExtracting(NetworkPolicyEgressRule::getPorts)
        .extracting(p -> p.getPort().getIntVal())
        .doesNotContain(2049);
  }

  @Test
  void aFailedSubnetLookUpGivesNoDatabaseRuleRatherThanAWideOne() {
    for (SubnetLookup failed :
        List.of(
            SubnetLookup.problem("private", SubnetLookup.NOT_FOUND, "DB subnet group private"),
            SubnetLookup.problem("private", SubnetLookup.UNREADABLE, "AccessDenied"))) {
      var policy = desired(Optional.of(databaseOnPort(41234)), failed);
      assertEveryRuleButDnsNamesItsDestinations(policy);
      assertThat(policy.getSpec().getEgress())
          .flatExtracting(NetworkPolicyEgressRule::getPorts)
          .extracting(p -> p.getPort().getIntVal())
          .containsOnly(53);
    }
  }

  @Test
  void aFailedSubnetLookUpLeavesALivePolicyAsItIs() {
    FakeContext context =
        new FakeContext()
            .put(
                SubnetLookup.CONTEXT_KEY,
                SubnetLookup.problem("private", SubnetLookup.UNREADABLE, "AccessDenied"))
            .put(ResolvedCampaign.CONTEXT_KEY, resolved);
    var live = SiteNetworkPolicy.policy(resolved, 41234, found);
    var result = new SiteNetworkPolicy().match(live, resolved.campaign(), context);
    assertThat(result.matched()).as("nothing is written").isTrue();
  }

  @Test
  void fallbackPodsHaveNoEgressAtAll() {
    var policy = new FallbackNetworkPolicy().desired(resolved, null);
    assertThat(policy.getSpec().getPolicyTypes()).contains("Egress");
    assertThat(policy.getSpec().getEgress()).isEmpty();
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/component", "fallback");
  }

  /**
   * A rule without peers allows every address; only DNS may (cluster resolvers live at addresses
   * the operator does not know), and no peer may be a block of every address.
   */
  static void assertEveryRuleButDnsNamesItsDestinations(NetworkPolicy policy) {
    for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
      boolean dns = rule.getPorts().stream().allMatch(p -> p.getPort().getIntVal() == 53);
      if (!dns) {
        assertThat(rule.getTo()).as("destinations of %s", rule.getPorts()).isNotEmpty();
        assertThat(rule.getTo())
            .extracting(NetworkPolicyPeer::getIpBlock)
            .allSatisfy(
                block -> {
                  assertThat(block).isNotNull();
                  assertThat(block.getCidr()).isNotIn("0.0.0.0/0", "::/0");
                });
      }
    }
  }

  static Optional<NetworkPolicyEgressRule> ruleFor(NetworkPolicy policy, int port) {
    return policy.getSpec().getEgress().stream()
        .filter(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == port))
        .findFirst();
  }

  @Test
  void aProxyOutsideTheClusterIsLetInFromTheClassBlocksOnTheHttpPortOnly() {
    var cls = TestCampaigns.campaignClass();
    cls.getSpec().ingress.sourceCidrs = List.of("10.88.0.1/32", "172.31.0.0/20");
    var campaign = TestCampaigns.campaign();
    var withProxies =
        dev.donations.operator.campaign.CampaignResolver.resolve(
                campaign,
                Optional.of(cls),
                List.of(),
                Optional.empty(),
                TestCampaigns.DEFAULTS,
                TestCampaigns.NOW)
            .resolved()
            .orElseThrow();
    FakeContext context = new FakeContext().put(SubnetLookup.CONTEXT_KEY, found);
    for (NetworkPolicy policy :
        List.of(
            new SiteNetworkPolicy().desired(withProxies, context),
            new FallbackNetworkPolicy().desired(withProxies, context))) {
      var from = policy.getSpec().getIngress();
      assertThat(from).hasSize(1);
      assertThat(from.get(0).getFrom())
          .extracting(p -> p.getIpBlock() == null ? null : p.getIpBlock().getCidr())
          .containsExactly(null, "10.88.0.1/32", "172.31.0.0/20");
      assertThat(from.get(0).getPorts())
          .extracting(p -> p.getPort().getIntVal())
          .containsExactly(8080);
    }
    assertThat(
            new SiteNetworkPolicy()
                .desired(resolved, context)
                .getSpec()
                .getIngress()
                .get(0)
                .getFrom())
        .as("no blocks in the class: the proxies' pods only")
        .allSatisfy(peer -> assertThat(peer.getIpBlock()).isNull());
  }
}
