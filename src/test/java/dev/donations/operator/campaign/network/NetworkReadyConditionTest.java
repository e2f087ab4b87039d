package dev.donations.operator.campaign.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.campaign.CampaignObservation;
import dev.donations.operator.campaign.CampaignStatusAggregator;
import dev.donations.operator.campaign.Conditions;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.StatusConditions;
import dev.donations.operator.campaign.TestCampaigns;
import dev.donations.operator.campaign.failover.FailoverObservation;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What status says about the site's database egress. */
class NetworkReadyConditionTest {

  static final String NOW = "2026-12-01T12:00:00Z";
  final ResolvedCampaign resolved = TestCampaigns.resolved(TestCampaigns.campaign());
  final StatusConditions c = new StatusConditions(3, List.of(), NOW);

  static CampaignObservation observed(SubnetLookup lookup) {
    return new CampaignObservation(
        Optional.of(NetworkPolicyTest.databaseOnPort(41234)),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        TestCampaigns.siteServing(),
        FailoverObservation.none(),
        Map.of(),
        Optional.of(lookup));
  }

  @Test
  void narrowedEgressNamesThePortAndTheBlocks() {
    Condition network =
        NetworkReadyCondition.of(
            resolved, observed(SubnetLookup.found("private", NetworkPolicyTest.SUBNETS)), c);
    assertThat(network.getStatus()).isEqualTo("True");
    assertThat(network.getMessage()).contains("41234", "10.42.0.0/24", "private");
  }

  @Test
  void aMissingSubnetGroupSaysWhatToFixInWhichClass() {
    Condition network =
        NetworkReadyCondition.of(
            resolved,
            observed(
                SubnetLookup.problem(
                    "private",
                    SubnetLookup.NOT_FOUND,
                    "DB subnet group private does not exist in eu-west-1")),
            c);
    assertThat(network.getType()).isEqualTo(Conditions.NETWORK_READY);
    assertThat(network.getStatus()).isEqualTo("False");
    assertThat(network.getReason()).isEqualTo("DatabaseSubnetGroupNotFound");
    assertThat(network.getMessage())
        .contains("does not exist", "spec.database.subnetGroupName of class broadcast")
        .contains("no database egress")
        .doesNotContain("0.0.0.0/0");
  }

  @Test
  void anUnreadableGroupNamesThePermissionsAndHoldsReadyBack() {
    var status =
        CampaignStatusAggregator.aggregate(
            resolved,
            observed(
                SubnetLookup.problem(
                    "private", SubnetLookup.UNREADABLE, "cannot read: AccessDenied")),
            Optional.empty(),
            NOW);
    Condition network = Conditions.find(status.conditions, Conditions.NETWORK_READY).orElseThrow();
    assertThat(network.getReason()).isEqualTo("DatabaseSubnetsUnreadable");
    assertThat(network.getMessage()).contains("rds:DescribeDBSubnetGroups", "ec2:DescribeSubnets");
    Condition ready = Conditions.find(status.conditions, Conditions.READY).orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage()).contains("NetworkReady: cannot read: AccessDenied");
  }
}
