package dev.donations.operator.campaign.database;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy;
import dev.donations.operator.campaign.AwsPolledDependent;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CampaignStatusFacts;
import dev.donations.operator.campaign.ResolvedCampaign;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DbInstanceAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The campaign's RDS instance: created once under a deterministic identifier (a second create after
 * a crash finds the first), with encryption and deletion protection on, polled without blocking the
 * reconcile thread, resized when the campaign asks, and deleted according to the deletion policy.
 */
public class RdsDatabase extends AwsPolledDependent<DatabaseInstance>
    implements Creator<DatabaseInstance, CharityCampaign>,
        Updater<DatabaseInstance, CharityCampaign> {

  /** States in which RDS deletes an instance with a final snapshot. */
  static final java.util.Set<String> DELETABLE_STATES = java.util.Set.of("available", "stopped");

  public static final String NAME = "database";
  private static final Logger LOG = Logger.getLogger(RdsDatabase.class);

  public RdsDatabase() {
    super(DatabaseInstance.class);
  }

  @Inject RdsFleet fleet;

  @Override
  protected Optional<DatabaseInstance> describe(String region, CharityCampaign primary) {
    String id = CampaignNames.databaseIdentifier(primary);
    Optional<DatabaseInstance> found = describe(aws.rds(region), id);
    fleet.instances.record(region, id, found.orElse(null));
    return found;
  }

  @Override
  protected Optional<Boolean> listed(String region, CharityCampaign primary) {
    return Optional.of(
        fleet.instances.get(region, CampaignNames.databaseIdentifier(primary)).isPresent());
  }

  /** A settled instance from the region's shared listing of DB instances. */
  @Override
  protected Optional<Optional<DatabaseInstance>> fromSnapshot(
      String region, CharityCampaign primary, Observation<DatabaseInstance> last) {
    return Optional.of(fleet.instances.get(region, CampaignNames.databaseIdentifier(primary)));
  }

  @Override
  protected boolean settled(DatabaseInstance resource) {
    return resource.available();
  }

  @Override
  protected DatabaseInstance desired(CharityCampaign primary, Context<CharityCampaign> context) {
    ResolvedCampaign.Database db = CampaignDependent.resolved(context).database();
    String secretUid =
        context
            .getSecondaryResource(Secret.class, DatabaseSecret.NAME)
            .map(x -> x.getMetadata().getUid())
            .orElse(null);
    return new DatabaseInstance(
        db.identifier(),
        DatabaseInstance.AVAILABLE,
        null,
        null,
        db.instanceClass(),
        db.storageGiB(),
        db.multiAz(),
        true,
        db.parameterGroup(),
        null,
        secretUid);
  }

  @Override
  public Matcher.Result<DatabaseInstance> match(
      DatabaseInstance actual, CharityCampaign primary, Context<CharityCampaign> context) {
    DatabaseInstance desired = desired(primary, context);
    // RDS refuses changes while an instance is busy; wait for "available" before comparing.
    boolean matches =
        !actual.available()
            || (sizeMatches(actual, desired)
                && java.util.Objects.equals(
                    actual.credentialsSecretUid(), desired.credentialsSecretUid()));
    return Matcher.Result.computed(matches, desired);
  }

  @Override
  public DatabaseInstance create(
      DatabaseInstance desired, CharityCampaign primary, Context<CharityCampaign> context) {
    ResolvedCampaign resolved = CampaignDependent.resolved(context);
    ResolvedCampaign.Database db = resolved.database();
    RdsClient rds = aws.rds(resolved.region());
    String password =
        context
            .getSecondaryResource(Secret.class, DatabaseSecret.NAME)
            .flatMap(DatabaseSecret::password)
            .orElseThrow(() -> new IllegalStateException("database Secret not ready yet"));
    try {
      if (db.restoreFromSnapshot() != null) {
        SnapshotRestore.restore(
            rds,
            resolved,
            primary,
            tags(primary, SnapshotRestore.RESTORED_PREFIX + db.restoreFromSnapshot()));
        LOG.infof(
            "restoring RDS instance %s for %s from snapshot %s",
            db.identifier(), CampaignStatusFacts.key(primary), db.restoreFromSnapshot());
        return describe(rds, db.identifier()).orElseThrow();
      }
      rds.createDBInstance(
          b ->
              b.dbInstanceIdentifier(db.identifier())
                  .engine(db.engine().name())
                  .engineVersion(db.engineVersion())
                  .dbInstanceClass(db.instanceClass())
                  .allocatedStorage(db.storageGiB())
                  .maxAllocatedStorage(db.storageGiB() * 2)
                  .multiAZ(db.multiAz())
                  .dbParameterGroupName(db.parameterGroup())
                  .dbSubnetGroupName(db.subnetGroupName())
                  .vpcSecurityGroupIds(db.securityGroupIds())
                  .dbName(DatabaseSecret.DATABASE_NAME)
                  .masterUsername(DatabaseSecret.MASTER_USERNAME)
                  .masterUserPassword(password)
                  .storageEncrypted(true)
                  .deletionProtection(true)
                  .publiclyAccessible(false)
                  .backupRetentionPeriod(7)
                  .copyTagsToSnapshot(true)
                  .tags(tags(primary, desired.credentialsSecretUid())));
      LOG.infof(
          "created RDS instance %s for %s", db.identifier(), CampaignStatusFacts.key(primary));
      return describe(rds, db.identifier()).orElseThrow();
    } catch (DbInstanceAlreadyExistsException e) {
      // An earlier create went through before a crash or a lost response: adopt it. If its password
      // is
      // not this Secret's, the next update gives it this Secret's password.
      return describe(rds, db.identifier()).orElseThrow(() -> e);
    }
  }

  @Override
  public DatabaseInstance update(
      DatabaseInstance actual,
      DatabaseInstance desired,
      CharityCampaign primary,
      Context<CharityCampaign> context) {
    ResolvedCampaign resolved = CampaignDependent.resolved(context);
    RdsClient rds = aws.rds(resolved.region());
    // The Secret is newer than the instance's password (adopted after a crash, or the Secret was
    // recreated).
    boolean newPassword =
        !java.util.Objects.equals(actual.credentialsSecretUid(), desired.credentialsSecretUid())
            && desired.credentialsSecretUid() != null;
    boolean resize = !sizeMatches(actual, desired);
    if (!newPassword && !resize) {
      return describe(rds, actual.identifier()).orElse(actual);
    }
    String password =
        newPassword
            ? context
                .getSecondaryResource(Secret.class, DatabaseSecret.NAME)
                .flatMap(DatabaseSecret::password)
                .orElseThrow()
            : null;
    int storage = Math.max(actual.storageGiB(), desired.storageGiB());
    // One ModifyDBInstance for both: RDS refuses a second one while the first is in progress
    // (resetting-master-credentials, modifying), and a retry would reset the password again.
    rds.modifyDBInstance(
        b -> {
          b.dbInstanceIdentifier(actual.identifier()).applyImmediately(true);
          if (newPassword) {
            b.masterUserPassword(password);
          }
          if (resize) {
            b.dbInstanceClass(desired.instanceClass())
                .allocatedStorage(storage)
                .maxAllocatedStorage(storage * 2)
                .multiAZ(desired.multiAz())
                .dbParameterGroupName(desired.parameterGroup());
          }
        });
    if (newPassword) {
      rds.addTagsToResource(
          b ->
              b.resourceName(actual.arn())
                  .tags(
                      Tag.builder()
                          .key(CampaignLabels.CREDENTIALS_SECRET_UID_TAG)
                          .value(desired.credentialsSecretUid())
                          .build()));
      LOG.infof(
          "gave RDS instance %s the password of Secret %s",
          actual.identifier(), CampaignNames.databaseSecret(primary));
    }
    if (resize) {
      LOG.infof(
          "modifying RDS instance %s: class %s, %d GiB",
          actual.identifier(), desired.instanceClass(), storage);
    }
    return describe(rds, actual.identifier()).orElse(actual);
  }

  @Override
  protected void delete(String region, CharityCampaign primary) {
    DatabaseDeletionPolicy policy = CampaignStatusFacts.databaseDeletion(primary);
    if (policy == DatabaseDeletionPolicy.Retain) {
      return;
    }
    RdsClient rds = aws.rds(region);
    String id = CampaignNames.databaseIdentifier(primary);
    Optional<DatabaseInstance> db = describe(rds, id);
    if (db.isEmpty() || "deleting".equals(db.get().state())) {
      return;
    }
    if (!DELETABLE_STATES.contains(db.get().state())) {
      // A final snapshot needs an instance that can take one: wait (the deletion postcondition
      // holds the
      // finalizer and status says what is awaited) rather than fail or skip the snapshot.
      LOG.infof("RDS instance %s is %s: deleting it once it is available", id, db.get().state());
      return;
    }
    if (db.get().deletionProtection()) {
      rds.modifyDBInstance(
          b -> b.dbInstanceIdentifier(id).deletionProtection(false).applyImmediately(true));
    }
    if (policy == DatabaseDeletionPolicy.Snapshot) {
      rds.deleteDBInstance(
          b ->
              b.dbInstanceIdentifier(id)
                  .finalDBSnapshotIdentifier(CampaignNames.finalSnapshot(primary))
                  .deleteAutomatedBackups(false));
      LOG.infof(
          "deleting RDS instance %s after final snapshot %s",
          id, CampaignNames.finalSnapshot(primary));
    } else {
      rds.deleteDBInstance(b -> b.dbInstanceIdentifier(id).skipFinalSnapshot(true));
      LOG.infof("deleting RDS instance %s without a snapshot (policy Delete)", id);
    }
  }

  static Optional<DatabaseInstance> describe(RdsClient rds, String identifier) {
    try {
      return rds.describeDBInstances(b -> b.dbInstanceIdentifier(identifier)).dbInstances().stream()
          .findFirst()
          .map(DatabaseInstance::from);
    } catch (DbInstanceNotFoundException e) {
      return Optional.empty();
    }
  }

  /** Class, storage (which only grows), Multi-AZ and parameter group as desired. */
  private static boolean sizeMatches(DatabaseInstance actual, DatabaseInstance desired) {
    return actual.instanceClass().equals(desired.instanceClass())
        && actual.storageGiB() >= desired.storageGiB()
        && actual.multiAz() == desired.multiAz()
        && java.util.Objects.equals(actual.parameterGroup(), desired.parameterGroup());
  }

  private static Tag[] tags(CharityCampaign c, String secretUid) {
    Map<String, String> tags = new LinkedHashMap<>(CampaignLabels.awsTags(c));
    tags.put(CampaignLabels.CREDENTIALS_SECRET_UID_TAG, String.valueOf(secretUid));
    tags.put(CampaignLabels.UID_TAG, c.getMetadata().getUid());
    return rdsTags(tags);
  }

  static Tag[] rdsTags(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build())
        .toArray(Tag[]::new);
  }
}
