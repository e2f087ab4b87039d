package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.app.SiteDeployment;
import dev.donations.operator.campaign.database.DatabaseInstance;
import dev.donations.operator.campaign.failover.DistributionState;
import dev.donations.operator.campaign.failover.FailoverObservation;
import dev.donations.operator.campaign.failover.HealthCheckState;
import dev.donations.operator.campaign.failover.HostBucketState;
import dev.donations.operator.campaign.failover.RecordsState;
import dev.donations.operator.campaign.fallback.FallbackBucketState;
import dev.donations.operator.campaign.fallback.FallbackDeployment;
import dev.donations.operator.campaign.network.SubnetLookup;
import dev.donations.operator.campaign.route.RouteObservation;
import dev.donations.operator.campaign.storage.EfsStorage;
import dev.donations.operator.campaign.storage.UploadsClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
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
    RouteObservation routing,
    FailoverObservation failover,
    Map<String, PartError> errorsByCondition,
    Optional<SubnetLookup> databaseSubnets) {

  /** What the dependents' event sources hold after a workflow run. */
  static CampaignObservation read(
      Context<CharityCampaign> context,
      Map<String, PartError> errorsByCondition,
      RouteObservation route) {
    return new CampaignObservation(
        context.getSecondaryResource(DatabaseInstance.class),
        context.getSecondaryResource(EfsStorage.class),
        context.getSecondaryResource(PersistentVolumeClaim.class, UploadsClaim.NAME),
        context.getSecondaryResource(Deployment.class, SiteDeployment.NAME),
        context.getSecondaryResource(Deployment.class, FallbackDeployment.NAME),
        context.getSecondaryResource(FallbackBucketState.class),
        route,
        new FailoverObservation(
            context.getSecondaryResource(DistributionState.class),
            context.getSecondaryResource(HostBucketState.class),
            context.getSecondaryResource(HealthCheckState.class),
            context.getSecondaryResource(RecordsState.class)),
        errorsByCondition,
        context
            .managedWorkflowAndDependentResourceContext()
            .get(SubnetLookup.CONTEXT_KEY, SubnetLookup.class));
  }

  /**
   * An observation without failover, for classes that ask for none, and without a look-up of the
   * database's subnets (NetworkReady Unknown).
   */
  public CampaignObservation(
      Optional<DatabaseInstance> database,
      Optional<EfsStorage> storage,
      Optional<PersistentVolumeClaim> uploadsClaim,
      Optional<Deployment> site,
      Optional<Deployment> fallback,
      Optional<FallbackBucketState> bucket,
      RouteObservation routing,
      Map<String, PartError> errorsByCondition) {
    this(
        database,
        storage,
        uploadsClaim,
        site,
        fallback,
        bucket,
        routing,
        FailoverObservation.none(),
        errorsByCondition,
        Optional.empty());
  }
}
