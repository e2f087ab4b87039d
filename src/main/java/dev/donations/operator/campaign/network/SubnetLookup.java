package dev.donations.operator.campaign.network;

import java.util.List;
import java.util.Optional;

/**
 * What the look-up of a class's DB subnet group found: the IPv4 CIDR blocks of its subnets, or why
 * there are none to allow (a reason for the condition, and a message that says what to fix). The
 * reconciler puts it into the workflow context before the site's NetworkPolicy is computed.
 *
 * @param reason null when the blocks were found
 */
public record SubnetLookup(String subnetGroup, List<String> cidrs, String reason, String message) {

  /** Key under which the reconciler puts it into the workflow context. */
  public static final String CONTEXT_KEY = "database-subnets";

  static final String NOT_FOUND = "DatabaseSubnetGroupNotFound";
  static final String NO_IPV4 = "DatabaseSubnetsWithoutIpv4";
  static final String UNREADABLE = "DatabaseSubnetsUnreadable";
  static final String THROTTLED = "AwsThrottled";

  static SubnetLookup found(String subnetGroup, List<String> cidrs) {
    return new SubnetLookup(subnetGroup, List.copyOf(cidrs), null, null);
  }

  static SubnetLookup problem(String subnetGroup, String reason, String message) {
    return new SubnetLookup(subnetGroup, List.of(), reason, message);
  }

  /** The blocks the database rule may name; empty when the look-up failed. */
  public Optional<List<String>> destinations() {
    return reason == null ? Optional.of(cidrs) : Optional.empty();
  }
}
