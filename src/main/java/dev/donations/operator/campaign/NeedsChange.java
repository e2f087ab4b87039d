package dev.donations.operator.campaign;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.Collection;
import java.util.Set;

/**
 * The condition reasons that no amount of waiting clears, only a change of the campaign, its class
 * or the cluster: a campaign with one of them is in phase Failed, not Provisioning or Degraded.
 * Every such reason is listed here, and only here; a reason that AWS or a pod may still clear by
 * itself (creating, throttled, a snapshot not yet available) does not belong.
 */
public final class NeedsChange {

  /** spec.database.restoreFromSnapshot names a snapshot that is not in the class's region. */
  public static final String SNAPSHOT_NOT_FOUND = "SnapshotNotFound";

  /** The snapshot belongs to a campaign the class's database.restoreFrom does not allow. */
  public static final String SNAPSHOT_NOT_ALLOWED = "SnapshotNotAllowed";

  /** The class's route provider needs a CRD the cluster does not serve. */
  public static final String ROUTE_API_MISSING = "RouteApiMissing";

  /**
   * The reasons: the resolver's (CampaignResolver, CampaignChecks; nothing new is created while one
   * holds) and those a dependent finds (the snapshot to restore, the route's API).
   */
  public static final Set<String> REASONS =
      Set.of(
          // CampaignResolver and CampaignChecks
          "ClassNotFound",
          "RegionChanged",
          "InstanceClassNotAllowed",
          "StorageTooLarge",
          "TooManyReplicas",
          "TooManyWorkers",
          "ImageOverrideNotAllowed",
          "NoSiteImage",
          "DeletionPolicyNotAllowed",
          "HostConflict",
          "RestoreNotAllowed",
          "TlsAtGateway",
          "HostTooLongForRoute53Failover",
          "FallbackPageNotFound",
          "InstanceClassMemoryUnknown",
          // found by the dependents
          SNAPSHOT_NOT_FOUND,
          SNAPSHOT_NOT_ALLOWED,
          ROUTE_API_MISSING);

  /**
   * The reasons whose cause can go without an event that wakes this campaign: the campaign that
   * holds the host is deleted or moves to another host, which wakes only that one. A campaign with
   * one of them is looked at again every donation.polling.provisioning. The others are watched: the
   * campaign, its class, its page ConfigMap and the route CRDs are informers, and a failed restore
   * is retried with the workflow every 15 s.
   */
  static final Set<String> WITHOUT_EVENT = Set.of("HostConflict");

  private NeedsChange() {}

  /** Whether one of the reasons can clear without an event to this campaign. */
  static boolean withoutEvent(Collection<String> reasons) {
    return reasons.stream().anyMatch(WITHOUT_EVENT::contains);
  }

  /** Whether a reason is one of them. */
  public static boolean reason(String reason) {
    return REASONS.contains(reason);
  }

  /** Whether any of the conditions is False for one of them. */
  public static boolean any(Collection<Condition> conditions) {
    return conditions != null
        && conditions.stream()
            .anyMatch(c -> Conditions.FALSE.equals(c.getStatus()) && reason(c.getReason()));
  }
}
