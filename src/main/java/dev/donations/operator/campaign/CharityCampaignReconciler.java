package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CampaignClass;
import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import dev.donations.operator.campaign.app.HeadroomDeployment;
import dev.donations.operator.campaign.app.ImagePrePuller;
import dev.donations.operator.campaign.app.KedaInstalled;
import dev.donations.operator.campaign.app.SiteScaledObject;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import dev.donations.operator.campaign.app.AdminSecret;
import dev.donations.operator.campaign.app.SaltsSecret;
import dev.donations.operator.campaign.app.SiteConfig;
import dev.donations.operator.campaign.app.SiteAutoscaler;
import dev.donations.operator.campaign.app.SiteDeployment;
import dev.donations.operator.campaign.app.SiteDisruptionBudget;
import dev.donations.operator.campaign.app.SiteService;
import dev.donations.operator.campaign.database.DatabaseAvailable;
import dev.donations.operator.campaign.database.DatabaseDeleted;
import dev.donations.operator.campaign.database.DatabaseInstance;
import dev.donations.operator.campaign.database.DatabaseSecret;
import dev.donations.operator.campaign.database.RdsDatabase;
import dev.donations.operator.campaign.database.RdsParameterGroup;
import dev.donations.operator.campaign.fallback.FallbackBucket;
import dev.donations.operator.campaign.fallback.FallbackBucketState;
import dev.donations.operator.campaign.fallback.FallbackDeployment;
import dev.donations.operator.campaign.fallback.FallbackPageConfigMap;
import dev.donations.operator.campaign.fallback.FallbackService;
import dev.donations.operator.campaign.fallback.SiteIngress;
import dev.donations.operator.campaign.failover.CloudFrontRequested;
import dev.donations.operator.campaign.failover.DistributionState;
import dev.donations.operator.campaign.failover.FailoverDistribution;
import dev.donations.operator.campaign.failover.FailoverDistributionDeleted;
import dev.donations.operator.campaign.failover.FailoverFacts;
import dev.donations.operator.campaign.failover.FailoverHealthCheck;
import dev.donations.operator.campaign.failover.FailoverHostBucket;
import dev.donations.operator.campaign.failover.FailoverObservation;
import dev.donations.operator.campaign.failover.FailoverRecords;
import dev.donations.operator.campaign.failover.HealthCheckState;
import dev.donations.operator.campaign.failover.HostBucketServing;
import dev.donations.operator.campaign.failover.HostBucketState;
import dev.donations.operator.campaign.failover.RecordsState;
import dev.donations.operator.campaign.failover.Route53Requested;
import dev.donations.operator.campaign.network.FallbackNetworkPolicy;
import dev.donations.operator.campaign.network.SiteNetworkPolicy;
import dev.donations.operator.campaign.storage.ClaimBound;
import dev.donations.operator.campaign.storage.EfsFileSystem;
import dev.donations.operator.campaign.storage.EfsStorage;
import dev.donations.operator.campaign.storage.StorageAvailable;
import dev.donations.operator.campaign.storage.StorageDeleted;
import dev.donations.operator.campaign.storage.UploadsClaim;
import dev.donations.operator.campaign.storage.UploadsVolume;
import dev.donations.operator.config.OperatorConfig;
import dev.donations.operator.metrics.CampaignMetrics;
import dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Reconciles a CharityCampaign into its tenant stack. First it applies the campaign's class and checks
 * what the API server cannot (an invalid campaign creates nothing new and says why in status); then the
 * workflow brings up the dependents in order; last, one aggregator turns what they observed into status.
 */
@ControllerConfiguration(name = "charitycampaign")
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
      @Dependent(name = UploadsVolume.NAME, type = UploadsVolume.class, dependsOn = EfsFileSystem.NAME),
      @Dependent(
          name = UploadsClaim.NAME,
          type = UploadsClaim.class,
          dependsOn = UploadsVolume.NAME,
          readyPostcondition = ClaimBound.class),
      @Dependent(name = FallbackPageConfigMap.NAME, type = FallbackPageConfigMap.class),
      @Dependent(name = FallbackDeployment.NAME, type = FallbackDeployment.class, dependsOn = FallbackPageConfigMap.NAME),
      @Dependent(name = FallbackService.NAME, type = FallbackService.class),
      @Dependent(name = FallbackBucket.NAME, type = FallbackBucket.class),
      // After the bucket it reads, so deletion removes the distribution first and the bucket after it.
      @Dependent(
          name = FailoverDistribution.NAME,
          type = FailoverDistribution.class,
          dependsOn = FallbackBucket.NAME,
          reconcilePrecondition = CloudFrontRequested.class,
          deletePostcondition = FailoverDistributionDeleted.class),
      // Route 53 failover: the bucket named after the host, then the health check, then the records; deleted backwards.
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
          dependsOn = {RdsDatabase.NAME, UploadsClaim.NAME, SaltsSecret.NAME, AdminSecret.NAME, SiteConfig.NAME}),
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
      @Dependent(name = SiteDisruptionBudget.NAME, type = SiteDisruptionBudget.class, dependsOn = SiteDeployment.NAME),
      @Dependent(
          name = SiteIngress.NAME,
          type = SiteIngress.class,
          dependsOn = {SiteService.NAME, FallbackService.NAME})
    })
public class CharityCampaignReconciler implements Reconciler<CharityCampaign>, Cleaner<CharityCampaign> {

  static final String CLASS_SOURCE = "campaign-classes";
  static final String PAGE_SOURCE = "fallback-pages";
  static final String HOST_INDEX = "by-host";
  static final String CLASS_INDEX = "by-class";
  static final String PAGE_INDEX = "by-page";
  static final long RETRY_SECONDS = 15;
  private static final Logger LOG = Logger.getLogger(CharityCampaignReconciler.class);

  /** Which condition a dependent's failure is reported under. */
  private static final Map<String, String> CONDITION_OF =
      Map.ofEntries(
          Map.entry(DatabaseSecret.NAME, Conditions.DATABASE_READY),
          Map.entry(RdsDatabase.NAME, Conditions.DATABASE_READY),
          Map.entry(RdsParameterGroup.NAME, Conditions.DATABASE_READY),
          Map.entry(EfsFileSystem.NAME, Conditions.STORAGE_READY),
          Map.entry(UploadsVolume.NAME, Conditions.STORAGE_READY),
          Map.entry(UploadsClaim.NAME, Conditions.STORAGE_READY),
          Map.entry(FallbackPageConfigMap.NAME, Conditions.FALLBACK_READY),
          Map.entry(FallbackDeployment.NAME, Conditions.FALLBACK_READY),
          Map.entry(FallbackService.NAME, Conditions.FALLBACK_READY),
          Map.entry(FallbackBucket.NAME, Conditions.FALLBACK_READY),
          Map.entry(FailoverDistribution.NAME, Conditions.FALLBACK_READY),
          Map.entry(FailoverHostBucket.NAME, Conditions.FALLBACK_READY),
          Map.entry(FailoverHealthCheck.NAME, Conditions.FALLBACK_READY),
          Map.entry(FailoverRecords.NAME, Conditions.FALLBACK_READY),
          Map.entry(FallbackNetworkPolicy.NAME, Conditions.FALLBACK_READY));

  private final OperatorConfig config;
  private final CampaignEvents events;
  private final CampaignMetrics metrics;
  private final ImagePrePuller prePuller;
  private final Clock clock;

  public CharityCampaignReconciler(
      OperatorConfig config, CampaignEvents events, CampaignMetrics metrics, ImagePrePuller prePuller) {
    this.config = config;
    this.events = events;
    this.metrics = metrics;
    this.prePuller = prePuller;
    this.clock = Clock.systemUTC();
  }

  @Override
  public List<EventSource<?, CharityCampaign>> prepareEventSources(EventSourceContext<CharityCampaign> context) {
    var primaries = context.getPrimaryCache();
    primaries.addIndexer(HOST_INDEX, c -> c.getSpec() == null || c.getSpec().site == null ? List.of() : List.of(c.getSpec().site.host));
    primaries.addIndexer(CLASS_INDEX, c -> c.getSpec() == null ? List.of() : List.of(c.getSpec().className));
    primaries.addIndexer(
        PAGE_INDEX,
        c -> pageConfigMap(c).map(id -> List.of(id.getNamespace().orElse("") + "/" + id.getName())).orElse(List.of()));

    var classes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(CampaignClass.class, CharityCampaign.class)
                .withName(CLASS_SOURCE)
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(
                    cls ->
                        primaries.byIndex(CLASS_INDEX, cls.getMetadata().getName()).stream()
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    var pages =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ConfigMap.class, CharityCampaign.class)
                .withName(PAGE_SOURCE)
                .withLabelSelector(CampaignLabels.FALLBACK_PAGE_LABEL + "=true")
                .withSecondaryToPrimaryMapper(
                    cm ->
                        primaries
                            .byIndex(PAGE_INDEX, cm.getMetadata().getNamespace() + "/" + cm.getMetadata().getName())
                            .stream()
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    // Only KEDA's ScaledObject CRD, by name: installing or removing KEDA switches every campaign's scaler.
    var keda =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(CustomResourceDefinition.class, CharityCampaign.class)
                .withName(KedaInstalled.SOURCE)
                .withWatchAllNamespaces()
                .withFieldSelector(new FieldSelector(new FieldSelector.Field("metadata.name", KedaInstalled.CRD)))
                .withSecondaryToPrimaryMapper(crd -> primaries.list().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(),
            context);
    return List.of(classes, pages, keda);
  }

  @Override
  public UpdateControl<CharityCampaign> reconcile(CharityCampaign campaign, Context<CharityCampaign> context) {
    String now = now();
    Optional<CampaignClass> cls = classSource(context).get(new ResourceID(campaign.getSpec().className));
    Optional<ConfigMap> page = pageConfigMap(campaign).flatMap(id -> pageSource(context).get(id));
    List<CharityCampaign> sameHost = context.getPrimaryCache().byIndex(HOST_INDEX, campaign.getSpec().site.host);
    var resolution = CampaignResolver.resolve(campaign, cls, sameHost, page, SiteDefaults.from(config), Instant.now(clock));

    if (resolution.resolved().isEmpty()) {
      CharityCampaignStatus status = CampaignStatusAggregator.invalid(campaign, resolution.problems(), now);
      record(campaign, status, false);
      return write(campaign, status, context).orElseGet(UpdateControl::noUpdate);
    }
    ResolvedCampaign resolved = resolution.resolved().get();
    if (CampaignStatusFacts.region(campaign).isEmpty() || FailoverFacts.unrecorded(campaign, resolved)) {
      // Record where the AWS resources go, the deletion policies and the failover parts before anything is created.
      campaign.setStatus(CampaignStatusAggregator.recordFacts(resolved, now));
      return UpdateControl.patchStatus(campaign).rescheduleAfter(100);
    }
    context.managedWorkflowAndDependentResourceContext().put(ResolvedCampaign.CONTEXT_KEY, resolved);
    prePuller.sync(siteImages(context, null));
    WorkflowReconcileResult result = context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    CampaignObservation observed = observe(campaign, context, result);
    CharityCampaignStatus status =
        CampaignStatusAggregator.aggregate(resolved, observed, config.aws().endpointOverride(), now);
    record(campaign, status, resolved.peaks().active().isPresent());
    metrics.budget(CampaignStatusFacts.key(campaign), resolved.budget().required(), resolved.budget().instanceClassLimit());
    UpdateControl<CharityCampaign> control = write(campaign, status, context).orElseGet(UpdateControl::noUpdate);
    if (result.erroredDependentsExist()) {
      result.getErroredDependents().forEach((d, e) -> {
        LOG.warnf("%s: %s failed: %s", CampaignStatusFacts.key(campaign), d.name(), e.getMessage());
        metrics.failed(CONDITION_OF.getOrDefault(d.name(), Conditions.SITE_READY));
      });
      control.rescheduleAfter(RETRY_SECONDS * 1000);
    } else if (FailoverFacts.removing(campaign, resolved)) {
      // A distribution goes in steps (disable, deployed, delete) that no poll of a settled one would notice.
      control.rescheduleAfter(config.polling().provisioning().toMillis());
    } else {
      // Wake up exactly when a peak window's floor rises, its scale-in freeze starts, or it ends.
      resolved.peaks().nextBoundary()
          .map(t -> Math.max(1000, t.toEpochMilli() - Instant.now(clock).toEpochMilli() + 500))
          .ifPresent(control::rescheduleAfter);
    }
    return control;
  }

  @Override
  public DeleteControl cleanup(CharityCampaign campaign, Context<CharityCampaign> context) {
    markDeleting(campaign, context);
    keepCredentialsOfKeptData(campaign, context);
    var result = context.managedWorkflowAndDependentResourceContext().cleanupManageWorkflow();
    if (result.erroredDependentsExist()) {
      result.getErroredDependents().forEach((d, e) -> LOG.warnf("%s: deleting %s failed: %s", CampaignStatusFacts.key(campaign), d.name(), e.getMessage()));
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(RETRY_SECONDS * 1000);
    }
    if (!result.allPostConditionsMet()) {
      LOG.infof("%s: waiting for AWS deletions (final snapshot, file system)", CampaignStatusFacts.key(campaign));
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(10_000);
    }
    prePuller.sync(siteImages(context, campaign));
    metrics.forget(CampaignStatusFacts.key(campaign));
    events.normal(campaign, "Deleted", "deleted with database policy " + CampaignStatusFacts.databaseDeletion(campaign)
        + " and storage policy " + CampaignStatusFacts.storageDeletion(campaign));
    return DeleteControl.defaultDelete();
  }

  /**
   * The site images of every campaign the operator sees, except one being deleted: a campaign's image is
   * its own where its class allows that, else its class's.
   */
  private static java.util.Set<String> siteImages(Context<CharityCampaign> context, CharityCampaign leaving) {
    var classes = classSource(context);
    return context.getPrimaryCache().list()
        .filter(c -> leaving == null || !c.getMetadata().getUid().equals(leaving.getMetadata().getUid()))
        .flatMap(c -> classes.get(new ResourceID(c.getSpec().className)).stream()
            .map(cls -> CampaignResolver.siteImage(c.getSpec().site, cls.getSpec().images)))
        .filter(java.util.Objects::nonNull)
        .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
  }

  private void record(CharityCampaign campaign, CharityCampaignStatus status, boolean peakActive) {
    CharityCampaignStatus.Phase before = campaign.getStatus() == null ? null : campaign.getStatus().phase;
    metrics.reconciled(CampaignStatusFacts.key(campaign), before, status.phase, peakActive,
        campaign.getMetadata().getCreationTimestamp(), Instant.now(clock));
  }

  private void markDeleting(CharityCampaign campaign, Context<CharityCampaign> context) {
    if (campaign.getStatus() != null && campaign.getStatus().phase == CharityCampaignStatus.Phase.Deleting) {
      return;
    }
    context.getClient().resources(CharityCampaign.class).inNamespace(campaign.getMetadata().getNamespace())
        .withName(campaign.getMetadata().getName()).subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Deleting\"}}");
    events.normal(campaign, "Deleting", "deleting with database policy " + CampaignStatusFacts.databaseDeletion(campaign)
        + " and storage policy " + CampaignStatusFacts.storageDeletion(campaign));
  }

  /**
   * A retained database or a final snapshot is only useful with its password, so the connection Secret
   * outlives the campaign unless the database goes too: its owner reference is removed before the
   * campaign is, and garbage collection leaves it alone.
   */
  private void keepCredentialsOfKeptData(CharityCampaign campaign, Context<CharityCampaign> context) {
    if (CampaignStatusFacts.databaseDeletion(campaign) == DatabaseDeletionPolicy.Delete) {
      return;
    }
    var secret = context.getSecondaryResource(Secret.class, DatabaseSecret.NAME);
    if (secret.isEmpty() || secret.get().getMetadata().getOwnerReferences() == null
        || secret.get().getMetadata().getOwnerReferences().isEmpty()) {
      return;
    }
    String keptFor = CampaignStatusFacts.databaseDeletion(campaign) == DatabaseDeletionPolicy.Retain
        ? "retained RDS instance " + CampaignNames.databaseIdentifier(campaign)
        : "final snapshot " + CampaignNames.finalSnapshot(campaign);
    context.getClient().secrets().inNamespace(campaign.getMetadata().getNamespace())
        .withName(secret.get().getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"ownerReferences\":null,\"annotations\":{\"donations.dev/credentials-of\":\"" + keptFor + "\"}}}");
    LOG.infof("%s: kept Secret %s with the credentials of the %s", CampaignStatusFacts.key(campaign),
        secret.get().getMetadata().getName(), keptFor);
  }

  private CampaignObservation observe(CharityCampaign campaign, Context<CharityCampaign> context, WorkflowReconcileResult result) {
    Map<String, String> errors = new HashMap<>();
    result.getErroredDependents().forEach(
        (dependent, e) -> errors.merge(CONDITION_OF.getOrDefault(dependent.name(), Conditions.SITE_READY), describe(e), (a, b) -> a + "; " + b));
    for (String name : List.of(RdsParameterGroup.NAME, RdsDatabase.NAME, EfsFileSystem.NAME, FallbackBucket.NAME, FailoverDistribution.NAME,
        FailoverHostBucket.NAME, FailoverHealthCheck.NAME, FailoverRecords.NAME)) {
      result.getDependentResourceByName(name)
          .filter(AwsPolledDependent.class::isInstance)
          .flatMap(d -> ((AwsPolledDependent<?>) d).lastPollError(campaign))
          .ifPresent(e -> errors.merge(CONDITION_OF.get(name), e, (a, b) -> a + "; " + b));
    }
    return new CampaignObservation(
        context.getSecondaryResource(DatabaseInstance.class),
        context.getSecondaryResource(EfsStorage.class),
        context.getSecondaryResource(PersistentVolumeClaim.class, UploadsClaim.NAME),
        context.getSecondaryResource(Deployment.class, SiteDeployment.NAME),
        context.getSecondaryResource(Deployment.class, FallbackDeployment.NAME),
        context.getSecondaryResource(FallbackBucketState.class),
        new FailoverObservation(
            context.getSecondaryResource(DistributionState.class),
            context.getSecondaryResource(HostBucketState.class),
            context.getSecondaryResource(HealthCheckState.class),
            context.getSecondaryResource(RecordsState.class)),
        errors);
  }

  /** Writes status only when it differs, and records an Event for each condition that flipped. */
  private Optional<UpdateControl<CharityCampaign>> write(
      CharityCampaign campaign, CharityCampaignStatus status, Context<CharityCampaign> context) {
    CharityCampaignStatus previous = campaign.getStatus();
    if (StatusComparison.same(previous, status)) {
      return Optional.empty();
    }
    events.transitions(campaign, previous, status);
    campaign.setStatus(status);
    return Optional.of(UpdateControl.patchStatus(campaign));
  }

  private static Optional<ResourceID> pageConfigMap(CharityCampaign c) {
    if (c.getSpec() == null || c.getSpec().fallback == null || c.getSpec().fallback.htmlConfigMap == null) {
      return Optional.empty();
    }
    return Optional.of(new ResourceID(c.getSpec().fallback.htmlConfigMap.name, c.getMetadata().getNamespace()));
  }

  @SuppressWarnings("unchecked")
  private static InformerEventSource<CampaignClass, CharityCampaign> classSource(Context<CharityCampaign> context) {
    return (InformerEventSource<CampaignClass, CharityCampaign>)
        context.eventSourceRetriever().getEventSourceFor(CampaignClass.class, CLASS_SOURCE);
  }

  @SuppressWarnings("unchecked")
  private static InformerEventSource<ConfigMap, CharityCampaign> pageSource(Context<CharityCampaign> context) {
    return (InformerEventSource<ConfigMap, CharityCampaign>)
        context.eventSourceRetriever().getEventSourceFor(ConfigMap.class, PAGE_SOURCE);
  }

  /** AWS and API errors are safe to show; they never carry the generated credentials. */
  private static String describe(Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.replaceAll("\\s+", " ");
  }

  private String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
