package dev.donations.operator.campaign.network;

import dev.donations.operator.aws.AwsClients;
import dev.donations.operator.campaign.Errors;
import dev.donations.operator.config.OperatorConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupNotFoundException;

/**
 * The IPv4 CIDR blocks of a DB subnet group's subnets, the only addresses a site may open database
 * connections to: DescribeDBSubnetGroups gives the subnets, EC2 DescribeSubnets their blocks. A
 * class's group is shared by all its campaigns, so each (region, group) is looked up once per drift
 * period, not per campaign or per reconcile; a failed look-up is kept, and retried at most once per
 * provisioning period, so N campaigns never turn one failing call into N.
 */
// A singleton, not @ApplicationScoped, like the fleets: no client proxy is needed.
@Singleton
public class DatabaseSubnets {

  private static final Logger LOG = Logger.getLogger(DatabaseSubnets.class);

  private final BiFunction<String, String, SubnetLookup> lookUp;
  private final Supplier<Duration> maxAge;
  private final Supplier<Duration> retryAfter;
  private final LongSupplier nanoTime;
  private final Map<Key, Slot> slots = new ConcurrentHashMap<>();
  private final AtomicLong lookUps = new AtomicLong();

  @Inject
  public DatabaseSubnets(AwsClients aws, OperatorConfig config) {
    this(
        (region, group) -> lookUp(aws, region, group),
        () -> config.polling().drift(),
        () -> config.polling().provisioning(),
        System::nanoTime);
  }

  DatabaseSubnets(
      BiFunction<String, String, SubnetLookup> lookUp,
      Supplier<Duration> maxAge,
      Supplier<Duration> retryAfter,
      LongSupplier nanoTime) {
    this.lookUp = lookUp;
    this.maxAge = maxAge;
    this.retryAfter = retryAfter;
    this.nanoTime = nanoTime;
  }

  /**
   * The group's blocks as of a look-up at most one drift period old (looking up again if needed),
   * or why there are none. Never throws.
   */
  public SubnetLookup of(String region, String subnetGroup) {
    return slots
        .computeIfAbsent(new Key(region, subnetGroup), k -> new Slot())
        .get(region, subnetGroup);
  }

  /** Look-ups made so far, for the tests. */
  long lookUps() {
    return lookUps.get();
  }

  private record Key(String region, String subnetGroup) {}

  private final class Slot {
    SubnetLookup last;
    long at;

    synchronized SubnetLookup get(String region, String subnetGroup) {
      if (last != null) {
        Duration age = last.destinations().isPresent() ? maxAge.get() : retryAfter.get();
        if (nanoTime.getAsLong() - at < age.toNanos()) {
          return last;
        }
      }
      lookUps.incrementAndGet();
      last = lookUp.apply(region, subnetGroup);
      // When the answer was learnt: campaigns that waited for a slow look-up get its answer.
      at = nanoTime.getAsLong();
      return last;
    }
  }

  /** The two AWS calls, their failures turned into a reason and a message. */
  static SubnetLookup lookUp(AwsClients aws, String region, String subnetGroup) {
    try {
      List<String> subnetIds =
          aws
              .rds(region)
              .describeDBSubnetGroups(b -> b.dbSubnetGroupName(subnetGroup))
              .dbSubnetGroups()
              .stream()
              .flatMap(g -> g.subnets().stream())
              .map(software.amazon.awssdk.services.rds.model.Subnet::subnetIdentifier)
              .filter(Objects::nonNull)
              .distinct()
              .toList();
      if (subnetIds.isEmpty()) {
        return SubnetLookup.problem(
            subnetGroup,
            SubnetLookup.NOT_FOUND,
            "DB subnet group " + subnetGroup + " in " + region + " has no subnets");
      }
      List<String> cidrs =
          aws.ec2(region).describeSubnets(b -> b.subnetIds(subnetIds)).subnets().stream()
              .map(software.amazon.awssdk.services.ec2.model.Subnet::cidrBlock)
              .filter(Objects::nonNull)
              .distinct()
              .sorted()
              .toList();
      if (cidrs.isEmpty()) {
        return SubnetLookup.problem(
            subnetGroup,
            SubnetLookup.NO_IPV4,
            "the subnets "
                + subnetIds
                + " of DB subnet group "
                + subnetGroup
                + " have no IPv4 block");
      }
      return SubnetLookup.found(subnetGroup, cidrs);
    } catch (DbSubnetGroupNotFoundException e) {
      return SubnetLookup.problem(
          subnetGroup,
          SubnetLookup.NOT_FOUND,
          "DB subnet group " + subnetGroup + " does not exist in " + region);
    } catch (SdkException e) {
      LOG.warnf(
          "reading the subnets of DB subnet group %s in %s failed: %s",
          subnetGroup, region, Errors.describe(e));
      return SubnetLookup.problem(
          subnetGroup,
          Errors.throttled(e) ? SubnetLookup.THROTTLED : SubnetLookup.UNREADABLE,
          "cannot read the subnets of DB subnet group "
              + subnetGroup
              + " in "
              + region
              + ": "
              + Errors.forStatus(e));
    }
  }
}
