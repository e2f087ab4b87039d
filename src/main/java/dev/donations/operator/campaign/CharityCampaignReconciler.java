package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import dev.donations.operator.campaign.app.AdminSecret;
import dev.donations.operator.campaign.app.HeadroomDeployment;
import dev.donations.operator.campaign.app.ImagePrePuller;
import dev.donations.operator.campaign.app.KedaInstalled;
import dev.donations.operator.campaign.app.SaltsSecret;
import dev.donations.operator.campaign.app.SiteAutoscaler;
import dev.donations.operator.campaign.app.SiteConfig;
import dev.donations.operator.campaign.app.SiteDeployment;
import dev.donations.operator.campaign.app.SiteDisruptionBudget;
import dev.donations.operator.campaign.app.SiteScaledObject;
import dev.donations.operator.campaign.app.SiteService;
import dev.donations.operator.campaign.database.DatabaseAvailable;
import dev.donations.operator.campaign.database.DatabaseDeleted;
import dev.donations.operator.campaign.database.DatabaseSecret;
import dev.donations.operator.campaign.database.RdsDatabase;
import dev.donations.operator.campaign.database.RdsParameterGroup;
import dev.donations.operator.campaign.failover.CloudFrontRequested;
import dev.donations.operator.campaign.failover.FailoverDistribution;
import dev.donations.operator.campaign.failover.FailoverDistributionDeleted;
import dev.donations.operator.campaign.failover.FailoverFacts;
import dev.donations.operator.campaign.failover.FailoverHealthCheck;
import dev.donations.operator.campaign.failover.FailoverHostBucket;
import dev.donations.operator.campaign.failover.FailoverRecords;
import dev.donations.operator.campaign.failover.HostBucketServing;
import dev.donations.operator.campaign.failover.Route53Requested;
import dev.donations.operator.campaign.fallback.FallbackBucket;
import dev.donations.operator.campaign.fallback.FallbackDeployment;
import dev.donations.operator.campaign.fallback.FallbackDisruptionBudget;
import dev.donations.operator.campaign.fallback.FallbackPageConfigMap;
import dev.donations.operator.campaign.fallback.FallbackService;
import dev.donations.operator.campaign.network.DatabaseSubnets;
import dev.donations.operator.campaign.network.FallbackNetworkPolicy;
import dev.donations.operator.campaign.network.SiteNetworkPolicy;
import dev.donations.operator.campaign.network.SubnetLookup;
import dev.donations.operator.campaign.route.CampaignRouting;
import dev.donations.operator.campaign.route.FallbackErrorsMiddleware;
import dev.donations.operator.campaign.route.FallbackResponsePolicy;
import dev.donations.operator.campaign.route.RouteConditions;
import dev.donations.operator.campaign.route.RouteObservation;
import dev.donations.operator.campaign.route.RouteTarget;
import dev.donations.operator.campaign.route.SiteIngress;
import dev.donations.operator.campaign.route.SiteRoute;
import dev.donations.operator.campaign.storage.ClaimBound;
import dev.donations.operator.campaign.storage.EfsFileSystem;
import dev.donations.operator.campaign.storage.StorageAvailable;
import dev.donations.operator.campaign.storage.StorageDeleted;
import dev.donations.operator.campaign.storage.UploadsClaim;
import dev.donations.operator.campaign.storage.UploadsVolume;
import dev.donations.operator.config.OperatorConfig;
import dev.donations.operator.logging.CampaignLogContext;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Reconciles a CharityCampaign into its tenant stack. First it applies the campaign's class and
 * checks what the API server cannot (an invalid campaign creates nothing new and says why in
 * status); then the workflow brings up the dependents in order; last, one aggregator turns what
 * they observed into status. The rest is in named collaborators: CampaignEventSources (what wakes a
 * campaign, and the look-ups of its class, page and host rivals), DependentConditions and
 * CampaignObservation (what a workflow run left), CampaignStatusWriter, ReconcileMetrics,
 * SiteImages (the image pre-pull) and CampaignDeletion.
 */
@ControllerConfiguration(
    name = "charitycampaign",
    informer = @Informer(itemStore = CompactItemStore.class))
@Workflow(
    explicitInvocation = true,
    handleExceptionsInReconciler = true,
    dependents = {
      @Dependent(name = DatabaseSecret.NAME, type = DatabaseSecret.class),
      @Dependent(name = SaltsSecret.NAME, type = SaltsSecret.class),
      @Dependent(name = AdminSecret.NAME, type = AdminSecret.class),
      @Dependent(name = RdsParameterGroup.NAME, type = RdsParameterGroup.class),
      @Dependent(
          name = RdsDatabase.NAME,
          type = RdsDatabase.class,
          dependsOn = {DatabaseSecret.NAME, RdsParameterGroup.NAME},
          readyPostcondition = DatabaseAvailable.class,
          deletePostcondition = DatabaseDeleted.class),
      @Dependent(
          name = EfsFileSystem.NAME,
          type = EfsFileSystem.class,
          readyPostcondition = StorageAvailable.class,
          deletePostcondition = StorageDeleted.class),
      @Dependent(
          name = UploadsVolume.NAME,
          type = UploadsVolume.class,
          dependsOn = EfsFileSystem.NAME),
      @Dependent(
          name = UploadsClaim.NAME,
          type = UploadsClaim.class,
          dependsOn = UploadsVolume.NAME,
          readyPostcondition = ClaimBound.class),
      @Dependent(name = FallbackPageConfigMap.NAME, type = FallbackPageConfigMap.class),
      @Dependent(
          name = FallbackDeployment.NAME,
          type = FallbackDeployment.class,
          dependsOn = FallbackPageConfigMap.NAME),
      @Dependent(
          name = FallbackDisruptionBudget.NAME,
          type = FallbackDisruptionBudget.class,
          dependsOn = FallbackDeployment.NAME),
      @Dependent(name = FallbackService.NAME, type = FallbackService.class),
      @Dependent(name = FallbackBucket.NAME, type = FallbackBucket.class),
      // After the bucket it reads, so deletion removes the distribution first and the bucket after
      // it.
      @Dependent(
          name = FailoverDistribution.NAME,
          type = FailoverDistribution.class,
          dependsOn = FallbackBucket.NAME,
          reconcilePrecondition = CloudFrontRequested.class,
          deletePostcondition = FailoverDistributionDeleted.class),
      // Route 53 failover: the bucket named after the host, then the health check, then the
      // records; deleted backwards.
      @Dependent(
          name = FailoverHostBucket.NAME,
          type = FailoverHostBucket.class,
          reconcilePrecondition = Route53Requested.class,
          readyPostcondition = HostBucketServing.class),
      @Dependent(
          name = FailoverHealthCheck.NAME,
          type = FailoverHealthCheck.class,
          dependsOn = FailoverHostBucket.NAME,
          reconcilePrecondition = Route53Requested.class),
      @Dependent(
          name = FailoverRecords.NAME,
          type = FailoverRecords.class,
          dependsOn = {FailoverHostBucket.NAME, FailoverHealthCheck.NAME},
          reconcilePrecondition = Route53Requested.class),
      @Dependent(name = FallbackNetworkPolicy.NAME, type = FallbackNetworkPolicy.class),
      @Dependent(name = SiteNetworkPolicy.NAME, type = SiteNetworkPolicy.class),
      @Dependent(name = SiteConfig.NAME, type = SiteConfig.class),
      @Dependent(
          name = SiteDeployment.NAME,
          type = SiteDeployment.class,
          dependsOn = {
            RdsDatabase.NAME,
            UploadsClaim.NAME,
            SaltsSecret.NAME,
            AdminSecret.NAME,
            SiteConfig.NAME
          }),
      @Dependent(name = HeadroomDeployment.NAME, type = HeadroomDeployment.class),
      @Dependent(name = SiteService.NAME, type = SiteService.class),
      @Dependent(
          name = SiteAutoscaler.NAME,
          type = SiteAutoscaler.class,
          dependsOn = SiteDeployment.NAME,
          // A precondition, not an activation condition: when KEDA arrives the HPA must be deleted.
          reconcilePrecondition = KedaInstalled.Absent.class),
      @Dependent(
          name = SiteScaledObject.NAME,
          type = SiteScaledObject.class,
          dependsOn = SiteDeployment.NAME,
          activationCondition = KedaInstalled.class),
      @Dependent(
          name = SiteDisruptionBudget.NAME,
          type = SiteDisruptionBudget.class,
          dependsOn = SiteDeployment.NAME),
      @Dependent(
          name = SiteIngress.NAME,
          type = SiteIngress.class,
          dependsOn = {SiteService.NAME, FallbackService.NAME},
          reconcilePrecondition = RouteConditions.IngressWanted.class),
      // Activation: the route's CRD exists (its informer can run). Precondition: the class's
      // provider wants
      // it; when it stops wanting it, the object is deleted. No route object depends on another, so
      // a
      // failed precondition never cascades into a dependent whose informer was never started.
      @Dependent(
          name = SiteRoute.NAME,
          type = SiteRoute.class,
          dependsOn = {SiteService.NAME, FallbackService.NAME},
          activationCondition = RouteConditions.GatewayApiInstalled.class,
          reconcilePrecondition = RouteConditions.RouteWanted.class),
      @Dependent(
          name = FallbackResponsePolicy.NAME,
          type = FallbackResponsePolicy.class,
          dependsOn = FallbackPageConfigMap.NAME,
          activationCondition = RouteConditions.EnvoyGatewayInstalled.class,
          reconcilePrecondition = RouteConditions.EnvoyGatewayWanted.class),
      @Dependent(
          name = FallbackErrorsMiddleware.NAME,
          type = FallbackErrorsMiddleware.class,
          dependsOn = FallbackService.NAME,
          activationCondition = RouteConditions.TraefikInstalled.class,
          reconcilePrecondition = RouteConditions.TraefikWanted.class)
    })
public class CharityCampaignReconciler
    implements Reconciler<CharityCampaign>, Cleaner<CharityCampaign> {

  static final long RETRY_SECONDS = 15;
  private static final Logger LOG = Logger.getLogger(CharityCampaignReconciler.class);

  private final OperatorConfig config;
  private final CampaignStatusWriter statusWriter;
  private final ReconcileMetrics metrics;
  private final ImagePrePuller prePuller;
  private final CampaignRouting routing;
  private final CampaignDeletion deletion;
  private final AwsPollErrors pollErrors;
  private final DatabaseSubnets databaseSubnets;
  private final Clock clock;

  public CharityCampaignReconciler(
      OperatorConfig config,
      CampaignStatusWriter statusWriter,
      ReconcileMetrics metrics,
      ImagePrePuller prePuller,
      CampaignRouting routing,
      CampaignDeletion deletion,
      AwsPollErrors pollErrors,
      DatabaseSubnets databaseSubnets) {
    this.config = config;
    this.statusWriter = statusWriter;
    this.metrics = metrics;
    this.prePuller = prePuller;
    this.routing = routing;
    this.deletion = deletion;
    this.pollErrors = pollErrors;
    this.databaseSubnets = databaseSubnets;
    this.clock = Clock.systemUTC();
  }

  @Override
  public List<EventSource<?, CharityCampaign>> prepareEventSources(
      EventSourceContext<CharityCampaign> context) {
    return CampaignEventSources.prepare(context, pollErrors);
  }

  @Override
  public UpdateControl<CharityCampaign> reconcile(
      CharityCampaign campaign, Context<CharityCampaign> context) {
    String now = now();
    var resolution =
        CampaignResolver.resolve(
            campaign,
            CampaignEventSources.campaignClass(campaign, context),
            CampaignEventSources.sameHost(campaign, context),
            CampaignEventSources.page(campaign, context),
            SiteDefaults.from(config),
            Instant.now(clock));

    if (resolution.resolved().isEmpty()) {
      CharityCampaignStatus status =
          CampaignStatusAggregator.invalid(campaign, resolution.problems(), now);
      metrics.reconciled(campaign, status, false);
      UpdateControl<CharityCampaign> control = statusWriter.update(campaign, status);
      boolean unwatched =
          NeedsChange.withoutEvent(
              resolution.problems().stream().map(CampaignResolver.Problem::reason).toList());
      // Resolving reads only caches, so looking again costs no API call and writes nothing new.
      return unwatched
          ? control.rescheduleAfter(config.polling().provisioning().toMillis())
          : control;
    }
    ResolvedCampaign resolved = resolution.resolved().get();
    if (CampaignStatusFacts.region(campaign).isEmpty()
        || FailoverFacts.unrecorded(campaign, resolved)) {
      // Record where the AWS resources go, the deletion policies and the failover parts before
      // anything is created.
      campaign.setStatus(CampaignStatusAggregator.recordFacts(resolved, now));
      return UpdateControl.patchStatus(campaign).rescheduleAfter(100);
    }
    context
        .managedWorkflowAndDependentResourceContext()
        .put(ResolvedCampaign.CONTEXT_KEY, resolved);
    // Shared by the class's campaigns and cached for the drift period: no AWS call per reconcile.
    SubnetLookup subnets =
        databaseSubnets.of(resolved.region(), resolved.database().subnetGroupName());
    context.managedWorkflowAndDependentResourceContext().put(SubnetLookup.CONTEXT_KEY, subnets);
    RouteTarget target = routing.decide(campaign, context, Instant.now(clock));
    context.managedWorkflowAndDependentResourceContext().put(RouteTarget.CONTEXT_KEY, target);
    prePuller.sync(SiteImages.inUse(context));
    WorkflowOutcome result = WorkflowOutcome.reconcile(context);
    RouteObservation route = routing.observe(resolved, context, target);
    CampaignObservation observed =
        CampaignObservation.read(
            context, DependentConditions.errors(campaign, result, pollErrors), route);
    CharityCampaignStatus status =
        CampaignStatusAggregator.aggregate(
            resolved, observed, config.aws().endpointOverride(), now);
    metrics.reconciled(campaign, status, resolved.peaks().active().isPresent());
    metrics.observed(campaign, resolved, target);
    UpdateControl<CharityCampaign> control = statusWriter.update(campaign, status);
    if (result.failed()) {
      result
          .errors()
          .forEach(
              (name, e) ->
                  CampaignLogContext.about(
                      name,
                      () ->
                          LOG.warnf(
                              "%s: %s failed: %s",
                              CampaignStatusFacts.key(campaign), name, Errors.describe(e))));
      metrics.failed(result);
      return control.rescheduleAfter(RETRY_SECONDS * 1000);
    }
    return rescheduled(control, campaign, resolved, target, subnets);
  }

  /**
   * After a workflow run without failures: when the campaign must be looked at again without any
   * event.
   */
  private UpdateControl<CharityCampaign> rescheduled(
      UpdateControl<CharityCampaign> control,
      CharityCampaign campaign,
      ResolvedCampaign resolved,
      RouteTarget target,
      SubnetLookup subnets) {
    if (FailoverFacts.removing(campaign, resolved) || subnets.destinations().isEmpty()) {
      // A distribution goes in steps (disable, deployed, delete) that no poll of a settled one
      // would notice. A failed subnet look-up (a group created later, a fixed IAM role) has no
      // event at all: look again, at most as often as the cache retries it.
      return control.rescheduleAfter(config.polling().provisioning().toMillis());
    }
    // Wake up exactly when a peak window's floor rises, its scale-in freeze starts, or it ends, and
    // when the fallback's hold-down is over.
    Stream.of(resolved.peaks().nextBoundary(), target.recheckAt())
        .flatMap(Optional::stream)
        .min(Comparator.naturalOrder())
        .map(t -> Math.max(1000, t.toEpochMilli() - Instant.now(clock).toEpochMilli() + 500))
        .ifPresent(control::rescheduleAfter);
    return control;
  }

  /**
   * An exception that escaped reconcile reaches status, not only the log: Ready=False, reason
   * ReconcileError, and the error's message. JOSDK retries with back-off either way. A conflict
   * (409: the campaign was modified meanwhile) is not an error to show: the retry reads the newer
   * version.
   */
  @Override
  public ErrorStatusUpdateControl<CharityCampaign> updateErrorStatus(
      CharityCampaign campaign, Context<CharityCampaign> context, Exception e) {
    if (Errors.conflict(e)) {
      // The campaign changed while this reconcile ran (its spec, a deletion, another writer's
      // status): an ordinary race. JOSDK retries with the newer version, which gets its own status.
      LOG.debugf(
          "%s: the campaign changed during the reconcile, retrying: %s",
          CampaignStatusFacts.key(campaign), Errors.describe(e));
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    LOG.warnf("%s: reconcile failed: %s", CampaignStatusFacts.key(campaign), Errors.describe(e));
    if (campaign.getMetadata().getDeletionTimestamp() != null) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    CharityCampaignStatus status =
        CampaignStatusAggregator.reconcileError(
            campaign, "reconcile failed: " + Errors.describe(e), now());
    return statusWriter.errorUpdate(campaign, status);
  }

  @Override
  public DeleteControl cleanup(CharityCampaign campaign, Context<CharityCampaign> context) {
    deletion.begin(campaign, context, now());
    WorkflowOutcome result = WorkflowOutcome.cleanup(context);
    if (!result.done()) {
      deletion.progress(campaign, context, result, now());
      return DeleteControl.noFinalizerRemoval()
          .rescheduleAfter(result.failed() ? RETRY_SECONDS * 1000 : 10_000);
    }
    prePuller.sync(SiteImages.inUseWithout(context, campaign));
    metrics.forget(campaign);
    routing.forget(campaign);
    deletion.finished(campaign);
    return DeleteControl.defaultDelete();
  }

  private String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
