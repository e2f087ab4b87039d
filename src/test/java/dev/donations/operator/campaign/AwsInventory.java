package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.testbed.LocalCluster;
import java.util.List;

/**
 * What AWS holds for a campaign, counted by its tag or deterministic name: RDS instances, parameter
 * groups, EFS file systems, access points and fallback buckets. Exactly one of each is the goal
 * under every fault.
 */
public final class AwsInventory {

  private AwsInventory() {}

  /** [RDS instances, parameter groups, file systems, access points, buckets] of the campaign. */
  public static List<Long> counts(LocalCluster cluster, CharityCampaign c) {
    String tag = CampaignStatusFacts.key(c);
    try (var rds = cluster.rds();
        var efs = cluster.efs();
        var s3 = cluster.s3()) {
      // Paginated: moto pages file systems by 10, and RDS by 100, as AWS does.
      long dbs =
          rds.describeDBInstancesPaginator().dbInstances().stream()
              .filter(
                  d ->
                      d.tagList().stream()
                          .anyMatch(
                              t ->
                                  CampaignLabels.CAMPAIGN_TAG.equals(t.key())
                                      && tag.equals(t.value())))
              .count();
      long groups =
          rds.describeDBParameterGroupsPaginator().dbParameterGroups().stream()
              .filter(g -> g.dbParameterGroupName().equals(CampaignNames.parameterGroup(c)))
              .count();
      var fileSystems =
          efs.describeFileSystemsPaginator().fileSystems().stream()
              .filter(
                  f ->
                      f.tags().stream()
                          .anyMatch(
                              t ->
                                  CampaignLabels.CAMPAIGN_TAG.equals(t.key())
                                      && tag.equals(t.value())))
              .toList();
      long accessPoints =
          fileSystems.stream()
              .mapToLong(
                  f ->
                      efs.describeAccessPoints(b -> b.fileSystemId(f.fileSystemId()))
                          .accessPoints()
                          .size())
              .sum();
      long buckets =
          s3.listBuckets().buckets().stream()
              .filter(b -> c.getStatus() != null && b.name().equals(c.getStatus().fallbackBucket))
              .count();
      return List.of(dbs, groups, (long) fileSystems.size(), accessPoints, buckets);
    }
  }

  public static final List<Long> ONE_OF_EACH = List.of(1L, 1L, 1L, 1L, 1L);
}
