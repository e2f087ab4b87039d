package dev.donations.operator.campaign.storage;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.StorageDeletionPolicy;
import dev.donations.operator.campaign.AwsPolledDependent;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CampaignStatusFacts;
import dev.donations.operator.campaign.ResolvedCampaign;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.efs.model.AccessPointDescription;
import software.amazon.awssdk.services.efs.model.FileSystemAlreadyExistsException;
import software.amazon.awssdk.services.efs.model.FileSystemDescription;
import software.amazon.awssdk.services.efs.model.FileSystemInUseException;
import software.amazon.awssdk.services.efs.model.MountTargetConflictException;
import software.amazon.awssdk.services.efs.model.MountTargetDescription;
import software.amazon.awssdk.services.efs.model.PerformanceMode;
import software.amazon.awssdk.services.efs.model.Tag;
import software.amazon.awssdk.services.efs.model.ThroughputMode;

/**
 * The campaign's EFS file system, a mount target in each class subnet, and an access point rooted
 * at the campaign's own directory, owned by the web server user. EFS makes these in steps (a mount
 * target can only be added once the file system is available), so each reconcile does the next
 * missing step; every create is idempotent through the file system's CreationToken and the access
 * point's ClientToken.
 */
public class EfsFileSystem extends AwsPolledDependent<EfsStorage>
    implements Creator<EfsStorage, CharityCampaign>, Updater<EfsStorage, CharityCampaign> {

  public static final String NAME = "storage";
  private static final Logger LOG = Logger.getLogger(EfsFileSystem.class);

  public EfsFileSystem() {
    super(EfsStorage.class);
  }

  @Inject EfsFleet fleet;

  @Override
  protected Optional<EfsStorage> describe(String region, CharityCampaign primary) {
    Optional<EfsStorage> found = describe(aws.efs(region), primary);
    fleet.fileSystems.record(
        region,
        CampaignNames.fileSystemToken(primary),
        found
            .map(
                s ->
                    new EfsFleet.FileSystem(
                        s.fileSystemId(), s.fileSystemState(), s.mountTargetStateBySubnet().size()))
            .orElse(null));
    fleet.accessPoints.record(
        region,
        CampaignNames.accessPointToken(primary),
        found
            .filter(s -> s.accessPointId() != null)
            .map(
                s ->
                    new EfsFleet.AccessPoint(
                        s.accessPointId(), s.fileSystemId(), s.accessPointState()))
            .orElse(null));
    return found;
  }

  /** Whether the file system is listed; its mount targets and access point are described. */
  @Override
  protected Optional<Boolean> listed(String region, CharityCampaign primary) {
    return Optional.of(
        fleet.fileSystems.get(region, CampaignNames.fileSystemToken(primary)).isPresent());
  }

  /**
   * Settled storage from the region's shared listings of file systems and access points; the mount
   * targets as last described while the file system still counts as many. Described on its own when
   * the file system or its count of mount targets changed, or the access point is not listed.
   */
  @Override
  protected Optional<Optional<EfsStorage>> fromSnapshot(
      String region, CharityCampaign primary, Observation<EfsStorage> last) {
    if (last == null) {
      return Optional.empty(); // the mount targets are not known yet
    }
    Optional<EfsFleet.FileSystem> fs =
        fleet.fileSystems.get(region, CampaignNames.fileSystemToken(primary));
    if (fs.isEmpty()) {
      return Optional.of(Optional.empty());
    }
    EfsStorage before = last.resource().orElseThrow();
    Optional<EfsFleet.AccessPoint> ap =
        fleet.accessPoints.get(region, CampaignNames.accessPointToken(primary));
    if (!fs.get().id().equals(before.fileSystemId())
        || fs.get().mountTargets() != before.mountTargetStateBySubnet().size()
        || ap.isEmpty()
        || !fs.get().id().equals(ap.get().fileSystemId())) {
      return Optional.empty();
    }
    return Optional.of(
        Optional.of(
            new EfsStorage(
                fs.get().id(),
                fs.get().state(),
                before.mountTargetStateBySubnet(),
                ap.get().id(),
                ap.get().state())));
  }

  @Override
  protected boolean settled(EfsStorage resource) {
    return resource.accessPointAvailable();
  }

  @Override
  protected EfsStorage desired(CharityCampaign primary, Context<CharityCampaign> context) {
    Map<String, String> mountTargets = new LinkedHashMap<>();
    CampaignDependent.resolved(context)
        .storage()
        .subnetIds()
        .forEach(s -> mountTargets.put(s, EfsStorage.AVAILABLE));
    return new EfsStorage(
        null, EfsStorage.AVAILABLE, Map.copyOf(mountTargets), null, EfsStorage.AVAILABLE);
  }

  @Override
  public Matcher.Result<EfsStorage> match(
      EfsStorage actual, CharityCampaign primary, Context<CharityCampaign> context) {
    ResolvedCampaign.Storage storage = CampaignDependent.resolved(context).storage();
    boolean complete =
        actual.mountTargetStateBySubnet().keySet().containsAll(storage.subnetIds())
            && actual.accessPointId() != null;
    return Matcher.Result.computed(complete, desired(primary, context));
  }

  @Override
  public EfsStorage create(
      EfsStorage desired, CharityCampaign primary, Context<CharityCampaign> context) {
    ResolvedCampaign resolved = CampaignDependent.resolved(context);
    EfsClient efs = aws.efs(resolved.region());
    try {
      efs.createFileSystem(
          b ->
              b.creationToken(CampaignNames.fileSystemToken(primary))
                  .encrypted(true)
                  .performanceMode(PerformanceMode.GENERAL_PURPOSE)
                  .throughputMode(ThroughputMode.ELASTIC)
                  .tags(tags(primary)));
      LOG.infof("created EFS file system for %s", CampaignStatusFacts.key(primary));
    } catch (FileSystemAlreadyExistsException e) {
      LOG.debugf(
          "EFS file system of %s exists already; adopting it", CampaignStatusFacts.key(primary));
    }
    return advance(efs, describe(efs, primary).orElseThrow(), resolved, primary);
  }

  @Override
  public EfsStorage update(
      EfsStorage cached,
      EfsStorage desired,
      CharityCampaign primary,
      Context<CharityCampaign> context) {
    ResolvedCampaign resolved = CampaignDependent.resolved(context);
    EfsClient efs = aws.efs(resolved.region());
    // Decide on a fresh describe, not on the poller's cache, which can lag a step just taken: a
    // second CreateAccessPoint would make a second access point wherever ClientToken is not
    // honoured.
    return advance(efs, describe(efs, primary).orElse(cached), resolved, primary);
  }

  /**
   * The next steps once the file system is available: a mount target per class subnet, the access
   * point. {@code actual} must be freshly described; it is described again only if a step was
   * taken.
   */
  private static EfsStorage advance(
      EfsClient efs, EfsStorage actual, ResolvedCampaign resolved, CharityCampaign primary) {
    if (!actual.fileSystemAvailable()) {
      return actual;
    }
    boolean stepped = false;
    for (String subnet : resolved.storage().subnetIds()) {
      if (!actual.mountTargetStateBySubnet().containsKey(subnet)) {
        stepped = true;
        try {
          efs.createMountTarget(
              b ->
                  b.fileSystemId(actual.fileSystemId())
                      .subnetId(subnet)
                      .securityGroups(resolved.storage().securityGroupIds()));
        } catch (MountTargetConflictException e) {
          LOG.debugf("mount target in %s exists already", subnet);
        }
      }
    }
    if (actual.accessPointId() == null) {
      stepped = true;
      long uid = resolved.site().pods().runAsUser();
      efs.createAccessPoint(
          b ->
              b.clientToken(CampaignNames.accessPointToken(primary))
                  .fileSystemId(actual.fileSystemId())
                  .posixUser(p -> p.uid(uid).gid(uid))
                  .rootDirectory(
                      r ->
                          r.path(CampaignNames.uploadsDirectory(primary))
                              .creationInfo(
                                  ci -> ci.ownerUid(uid).ownerGid(uid).permissions("0755")))
                  .tags(tags(primary)));
    }
    return stepped ? describe(efs, primary).orElse(actual) : actual;
  }

  @Override
  protected void delete(String region, CharityCampaign primary) {
    if (CampaignStatusFacts.storageDeletion(primary) != StorageDeletionPolicy.Delete) {
      return;
    }
    EfsClient efs = aws.efs(region);
    Optional<EfsStorage> storage = describe(efs, primary);
    if (storage.isEmpty()) {
      return;
    }
    String fsId = storage.get().fileSystemId();
    if (storage.get().accessPointId() != null) {
      efs.deleteAccessPoint(b -> b.accessPointId(storage.get().accessPointId()));
    }
    efs.describeMountTargets(b -> b.fileSystemId(fsId))
        .mountTargets()
        .forEach(mt -> efs.deleteMountTarget(b -> b.mountTargetId(mt.mountTargetId())));
    try {
      efs.deleteFileSystem(b -> b.fileSystemId(fsId));
      LOG.infof(
          "deleted EFS file system %s of %s (policy Delete)",
          fsId, CampaignStatusFacts.key(primary));
    } catch (FileSystemInUseException e) {
      LOG.debugf("EFS file system %s still has mount targets; deleting it on the next pass", fsId);
    }
  }

  static Optional<EfsStorage> describe(EfsClient efs, CharityCampaign primary) {
    Optional<FileSystemDescription> fs =
        efs
            .describeFileSystems(b -> b.creationToken(CampaignNames.fileSystemToken(primary)))
            .fileSystems()
            .stream()
            .findFirst();
    if (fs.isEmpty()) {
      return Optional.empty();
    }
    String fsId = fs.get().fileSystemId();
    Map<String, String> mountTargets = new LinkedHashMap<>();
    for (MountTargetDescription mt :
        efs.describeMountTargets(b -> b.fileSystemId(fsId)).mountTargets()) {
      if (mt.subnetId() != null) {
        // A state AWS leaves out is not one the operator may rely on (moto did, for a half-made
        // one).
        mountTargets.put(
            mt.subnetId(), Objects.requireNonNullElse(mt.lifeCycleStateAsString(), "unknown"));
      }
    }
    String token = CampaignNames.accessPointToken(primary);
    Optional<AccessPointDescription> ap =
        efs.describeAccessPoints(b -> b.fileSystemId(fsId)).accessPoints().stream()
            .filter(a -> token.equals(a.clientToken()))
            .findFirst();
    return Optional.of(
        new EfsStorage(
            fsId,
            fs.get().lifeCycleStateAsString(),
            Map.copyOf(mountTargets),
            ap.map(AccessPointDescription::accessPointId).orElse(null),
            ap.map(AccessPointDescription::lifeCycleStateAsString).orElse(null)));
  }

  private static Tag[] tags(CharityCampaign c) {
    Map<String, String> tags = new LinkedHashMap<>(CampaignLabels.awsTags(c));
    tags.put("Name", "donation-" + CampaignStatusFacts.key(c));
    return tags.entrySet().stream()
        .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build())
        .toArray(Tag[]::new);
  }
}
