package dev.donations.operator.campaign.database;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.DatabaseClassSpec.RestorePolicy;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.NeedsChange;
import dev.donations.operator.campaign.NeedsChangeException;
import dev.donations.operator.campaign.ResolvedCampaign;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * A campaign's database made from a snapshot instead of empty (spec.database.restoreFromSnapshot):
 * the snapshot must be available and allowed by the class, and the restored instance is set up like
 * a new one (class, subnet group, security groups, the campaign's parameter group, deletion
 * protection, tags). Its password is the snapshot's; the instance is tagged as restored, so the
 * next update gives it the campaign's own password, as after any change of the connection Secret.
 */
final class SnapshotRestore {

  /** The credentials tag of a restored instance until it has the campaign's password. */
  static final String RESTORED_PREFIX = "restored-from-";

  private SnapshotRestore() {}

  static void restore(
      RdsClient rds, ResolvedCampaign resolved, CharityCampaign primary, Tag[] tags) {
    ResolvedCampaign.Database db = resolved.database();
    String snapshotId = db.restoreFromSnapshot();
    DBSnapshot snapshot = snapshot(rds, snapshotId);
    if (!"available".equals(snapshot.status())) {
      throw new IllegalStateException(
          "snapshot "
              + snapshotId
              + " is "
              + snapshot.status()
              + "; the database is restored from it once it is available");
    }
    if (db.restoreFrom() == RestorePolicy.SameNamespace) {
      String owner =
          rds.listTagsForResource(b -> b.resourceName(snapshot.dbSnapshotArn())).tagList().stream()
              .filter(t -> CampaignLabels.CAMPAIGN_TAG.equals(t.key()))
              .map(Tag::value)
              .findFirst()
              .orElse(null);
      String namespace = primary.getMetadata().getNamespace();
      if (owner == null || !owner.startsWith(namespace + "/")) {
        throw new NeedsChangeException(
            NeedsChange.SNAPSHOT_NOT_ALLOWED,
            "class "
                + resolved.className()
                + " allows restoring only snapshots of campaigns in"
                + " namespace "
                + namespace
                + ", and snapshot "
                + snapshotId
                + " belongs to "
                + (owner == null ? "no campaign of this operator" : "campaign " + owner)
                + "; restore a snapshot of this namespace or use a class whose database.restoreFrom"
                + " allows it");
      }
    }
    rds.restoreDBInstanceFromDBSnapshot(
        b ->
            b.dbInstanceIdentifier(db.identifier())
                .dbSnapshotIdentifier(snapshotId)
                .dbInstanceClass(db.instanceClass())
                .multiAZ(db.multiAz())
                .dbSubnetGroupName(db.subnetGroupName())
                .vpcSecurityGroupIds(db.securityGroupIds())
                .dbParameterGroupName(db.parameterGroup())
                .deletionProtection(true)
                .publiclyAccessible(false)
                .copyTagsToSnapshot(true)
                .tags(tags));
  }

  private static DBSnapshot snapshot(RdsClient rds, String snapshotId) {
    try {
      return rds.describeDBSnapshots(b -> b.dbSnapshotIdentifier(snapshotId)).dbSnapshots().stream()
          .findFirst()
          .orElseThrow(() -> notFound(snapshotId, null));
    } catch (DbSnapshotNotFoundException e) {
      throw notFound(snapshotId, e);
    }
  }

  /**
   * Only a change clears it; the retry every reconcile makes finds a snapshot created meanwhile.
   */
  private static NeedsChangeException notFound(String snapshotId, Throwable cause) {
    return new NeedsChangeException(
        NeedsChange.SNAPSHOT_NOT_FOUND,
        "snapshot "
            + snapshotId
            + " does not exist in this region; check"
            + " spec.database.restoreFromSnapshot (final snapshots are named <instance>-final)",
        cause);
  }
}
