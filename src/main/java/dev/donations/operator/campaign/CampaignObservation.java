package dev.donations.operator.campaign;

import dev.donations.operator.campaign.database.DatabaseInstance;
import dev.donations.operator.campaign.fallback.FallbackBucketState;
import dev.donations.operator.campaign.storage.EfsStorage;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import java.util.Optional;

/**
 * What the workflow's dependents observed in one reconcile, and the errors they hit keyed by the
 * condition type they belong to. The status aggregator turns this into status.
 */
public record CampaignObservation(
    Optional<DatabaseInstance> database,
    Optional<EfsStorage> storage,
    Optional<PersistentVolumeClaim> uploadsClaim,
    Optional<Deployment> site,
    Optional<Deployment> fallback,
    Optional<FallbackBucketState> bucket,
    dev.donations.operator.campaign.route.RouteObservation routing,
    dev.donations.operator.campaign.failover.FailoverObservation failover,
    Map<String, String> errorsByCondition) {

  /** An observation without failover, for classes that ask for none. */
  public CampaignObservation(
      Optional<DatabaseInstance> database,
      Optional<EfsStorage> storage,
      Optional<PersistentVolumeClaim> uploadsClaim,
      Optional<Deployment> site,
      Optional<Deployment> fallback,
      Optional<FallbackBucketState> bucket,
      dev.donations.operator.campaign.route.RouteObservation routing,
      Map<String, String> errorsByCondition) {
    this(database, storage, uploadsClaim, site, fallback, bucket, routing,
        dev.donations.operator.campaign.failover.FailoverObservation.none(), errorsByCondition);
  }
}
