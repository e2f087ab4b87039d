package dev.donations.operator.campaign.network;

import dev.donations.operator.campaign.CampaignObservation;
import dev.donations.operator.campaign.Conditions;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.StatusConditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Optional;

/**
 * The campaign's NetworkReady condition: whether the site's database egress could be narrowed to
 * the subnets of the class's DB subnet group, and if not, what to fix. Pure.
 */
public final class NetworkReadyCondition {

  private NetworkReadyCondition() {}

  public static Condition of(
      ResolvedCampaign resolved, CampaignObservation observed, StatusConditions c) {
    Optional<SubnetLookup> lookup = observed.databaseSubnets();
    if (lookup.isEmpty()) {
      return c.of(
          Conditions.NETWORK_READY,
          Conditions.UNKNOWN,
          "NotLookedUp",
          "the subnets of the database have not been looked up yet");
    }
    SubnetLookup subnets = lookup.get();
    if (subnets.destinations().isPresent()) {
      return c.of(
          Conditions.NETWORK_READY,
          true,
          "DatabaseEgressNarrowed",
          "site pods may reach the database on TCP "
              + SiteNetworkPolicy.databasePort(resolved, observed.database())
              + " in "
              + String.join(", ", subnets.cidrs())
              + " only (DB subnet group "
              + subnets.subnetGroup()
              + ")");
    }
    return c.of(
        Conditions.NETWORK_READY,
        false,
        subnets.reason(),
        subnets.message()
            + "; "
            + fix(subnets.reason(), resolved.className())
            + ". Until then the site's NetworkPolicy allows no database egress (an existing policy"
            + " is kept as it was), never any address");
  }

  private static String fix(String reason, String className) {
    return switch (reason) {
      case SubnetLookup.NOT_FOUND ->
          "create it, or set spec.database.subnetGroupName of class "
              + className
              + " to an existing DB subnet group with subnets";
      case SubnetLookup.NO_IPV4 ->
          "give its subnets IPv4 CIDR blocks, or set spec.database.subnetGroupName of class "
              + className
              + " to a group whose subnets have them";
      case SubnetLookup.THROTTLED -> "the look-up is retried shortly";
      default ->
          "check that the operator's IAM role allows rds:DescribeDBSubnetGroups and"
              + " ec2:DescribeSubnets (docs/aws-iam-policy.json); the look-up is retried shortly";
    };
  }
}
