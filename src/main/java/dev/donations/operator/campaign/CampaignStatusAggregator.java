package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.api.v1alpha1.DeletionSpec;
import dev.donations.operator.campaign.CampaignResolver.Problem;
import dev.donations.operator.campaign.database.DatabaseInstance;
import dev.donations.operator.campaign.failover.FailoverFacts;
import dev.donations.operator.campaign.failover.FailoverReport;
import dev.donations.operator.campaign.fallback.FallbackWebsite;
import dev.donations.operator.campaign.fallback.PageDigest;
import dev.donations.operator.campaign.route.RouteStatus;
import dev.donations.operator.campaign.storage.EfsStorage;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one place that decides what a campaign's status says, Ready included. Pure: it takes the
 * observation, the previous status and the time, and returns the new status; nothing here holds a secret.
 */
public final class CampaignStatusAggregator {

  private CampaignStatusAggregator() {}

  /** Status of a campaign whose spec or class stops it: nothing is created until it is fixed. */
  public static CharityCampaignStatus invalid(CharityCampaign campaign, List<Problem> problems, String now) {
    CharityCampaignStatus previous = previous(campaign);
    CharityCampaignStatus status = copyFacts(previous);
    long generation = campaign.getMetadata().getGeneration();
    status.observedGeneration = generation;
    status.phase = Phase.Failed;
    status.deletion = saferDeletion(previous.deletion, campaign.getSpec().deletion);
    Problem first = problems.get(0);
    String message = String.join("; ", problems.stream().map(Problem::message).toList());
    List<Condition> conditions = new ArrayList<>();
    // Keep what was observed of the other conditions; Ready carries the problem.
    for (String type : List.of(Conditions.DATABASE_READY, Conditions.STORAGE_READY, Conditions.SITE_READY, Conditions.FALLBACK_READY,
        Conditions.ROUTE_READY, Conditions.FALLBACK_ACTIVE)) {
      Conditions.find(previous.conditions, type).ifPresent(conditions::add);
    }
    conditions.add(Conditions.of(Conditions.READY, false, first.reason(), message, generation, previous.conditions, now));
    status.conditions = conditions;
    return status;
  }

  /**
   * Status after a reconcile that failed outside the workflow (an exception in class resolution, the
   * image pre-pull, an API call): everything observed before stays, Ready says what failed. The
   * failure is retried with back-off; the next successful reconcile writes the full status again.
   */
  public static CharityCampaignStatus reconcileError(CharityCampaign campaign, String message, String now) {
    CharityCampaignStatus previous = previous(campaign);
    CharityCampaignStatus status = copyFacts(previous);
    status.observedGeneration = previous.observedGeneration;
    status.phase = previous.phase == null ? Phase.Provisioning : previous.phase;
    List<Condition> conditions = new ArrayList<>();
    if (previous.conditions != null) {
      previous.conditions.stream().filter(c -> !Conditions.READY.equals(c.getType())).forEach(conditions::add);
    }
    conditions.add(Conditions.of(Conditions.READY, false, "ReconcileError", message,
        campaign.getMetadata().getGeneration(), previous.conditions, now));
    status.conditions = conditions;
    return status;
  }

  /**
   * Status while the campaign is being deleted: phase Deleting, the final snapshot's name under the
   * Snapshot policy, Ready False (nothing is being served any more), and a Deleting condition saying
   * what is awaited or which step failed.
   */
  public static CharityCampaignStatus deleting(CharityCampaign campaign, String reason, String message, String now) {
    CharityCampaignStatus previous = previous(campaign);
    CharityCampaignStatus status = copyFacts(previous);
    status.observedGeneration = previous.observedGeneration;
    status.phase = Phase.Deleting;
    if (CampaignStatusFacts.databaseDeletion(campaign) == dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy.Snapshot
        && CampaignStatusFacts.databaseSeen(campaign)) {
      CharityCampaignStatus.DatabaseStatus db = previous.database == null ? new CharityCampaignStatus.DatabaseStatus() : previous.database;
      db.finalSnapshot = CampaignNames.finalSnapshot(campaign);
      status.database = db;
    }
    long gen = campaign.getMetadata().getGeneration();
    List<Condition> conditions = new ArrayList<>();
    if (previous.conditions != null) {
      previous.conditions.stream()
          .filter(c -> !Conditions.READY.equals(c.getType()) && !Conditions.DELETING.equals(c.getType()))
          .forEach(conditions::add);
    }
    conditions.add(Conditions.of(Conditions.DELETING, Conditions.TRUE, reason, message, gen, previous.conditions, now));
    conditions.add(Conditions.of(Conditions.READY, false, "Deleting", "the campaign is being deleted: " + message, gen, previous.conditions, now));
    status.conditions = conditions;
    return status;
  }

  /**
   * The first status of a valid campaign: where its AWS resources will live and the deletion policies,
   * recorded before anything is created so that deletion always knows where to look.
   */
  public static CharityCampaignStatus recordFacts(ResolvedCampaign resolved, String now) {
    CharityCampaign campaign = resolved.campaign();
    CharityCampaignStatus previous = previous(campaign);
    CharityCampaignStatus status = copyFacts(previous);
    status.conditions = previous.conditions;
    status.observedGeneration = previous.observedGeneration;
    // A running campaign whose class adds failover keeps its phase while the new part is recorded.
    status.phase = previous.phase == null ? Phase.Provisioning : previous.phase;
    status.region = resolved.region();
    status.fallbackBucket = resolved.fallback().bucket();
    status.deletion = deletion(resolved);
    status.failover = FailoverFacts.record(previous.failover, resolved);
    return status;
  }

  private static DeletionSpec deletion(ResolvedCampaign resolved) {
    DeletionSpec deletion = new DeletionSpec();
    deletion.database = resolved.databaseDeletion();
    deletion.storage = resolved.storageDeletion();
    return deletion;
  }

  /** Status of a valid campaign from what its dependents observed. */
  public static CharityCampaignStatus aggregate(
      ResolvedCampaign resolved, CampaignObservation observed, Optional<URI> awsEndpointOverride, String now) {
    CharityCampaign campaign = resolved.campaign();
    CharityCampaignStatus previous = previous(campaign);
    long generation = campaign.getMetadata().getGeneration();
    List<Condition> before = previous.conditions;
    CharityCampaignStatus status = copyFacts(previous);
    status.observedGeneration = generation;
    status.region = resolved.region();
    status.deletion = deletion(resolved);
    status.fallbackBucket = resolved.fallback().bucket();
    status.failover = FailoverFacts.observed(previous.failover, resolved, observed.failover());
    var routing = resolved.site().routing();
    boolean https = routing.provider().gateway() ? routing.gateway().https() : campaign.getSpec().site.tlsSecretName != null;
    String scheme = https ? "https" : "http";
    status.siteUrl = scheme + "://" + resolved.site().host() + "/";

    Condition db = databaseCondition(resolved, observed, status, generation, before, now);
    Condition storage = storageCondition(resolved, observed, status, generation, before, now);
    Condition site = siteCondition(resolved, observed, status, db, storage, generation, before, now);
    Condition fallback = fallbackCondition(resolved, observed, status, awsEndpointOverride, generation, before, now);
    Condition route = RouteStatus.routeReady(resolved, observed.routing(), generation, before, now);
    Condition fallbackActive = RouteStatus.fallbackActive(observed.routing(), generation, before, now);
    List<Condition> parts = List.of(db, storage, site, fallback, route, fallbackActive);
    // A route still waiting for its Gateway's controller (Unknown) does not hold Ready back; a refused one does.
    List<Condition> notReady = parts.stream().filter(c -> c == fallbackActive
        ? Conditions.TRUE.equals(c.getStatus())
        : c == route ? Conditions.FALSE.equals(c.getStatus()) : !Conditions.TRUE.equals(c.getStatus())).toList();
    Condition ready =
        notReady.isEmpty()
            ? Conditions.of(Conditions.READY, true, "AllReady",
                "database, storage, site, fallback and route are ready; visitors get the site", generation, before, now)
            : Conditions.of(
                Conditions.READY,
                false,
                notReady.get(0).getType().replace("Ready", "NotReady"),
                String.join("; ", notReady.stream().map(c -> c.getType() + ": " + c.getMessage()).toList()),
                generation,
                before,
                now);
    List<Condition> conditions = new ArrayList<>(parts);
    conditions.add(ready);
    conditions.add(budgetCondition(resolved, status, generation, before, now));
    conditions.add(peakCondition(resolved, status, generation, before, now));
    status.conditions = conditions;
    boolean wasUp = previous.phase == Phase.Ready || previous.phase == Phase.Degraded;
    status.phase = notReady.isEmpty() ? Phase.Ready : wasUp ? Phase.Degraded : Phase.Provisioning;
    return status;
  }

  /** Not part of Ready: an over-budget site still serves, capped, and says so. */
  private static Condition budgetCondition(
      ResolvedCampaign resolved, CharityCampaignStatus status, long gen, List<Condition> before, String now) {
    var budget = resolved.budget();
    var figures = new CharityCampaignStatus.ConnectionBudgetStatus();
    figures.requiredConnections = budget.required();
    figures.instanceClassLimit = budget.instanceClassLimit();
    figures.configuredMaxConnections = budget.configured();
    figures.effectiveMaxReplicas = budget.effectiveMaxReplicas();
    figures.parameterGroup = resolved.database().parameterGroup();
    status.connectionBudget = figures;
    var scaling = new CharityCampaignStatus.ScalingStatus();
    scaling.minReplicas = resolved.scaling().minReplicas();
    scaling.maxReplicas = resolved.scaling().maxReplicas();
    scaling.scaleInFrozen = resolved.scaling().scaleInFrozen();
    scaling.headroomReplicas = resolved.scaling().headroomReplicas();
    status.scaling = scaling;
    return Conditions.of(
        Conditions.CONNECTION_BUDGET,
        budget.sufficient(),
        budget.sufficient() ? "WithinBudget" : "OverBudget",
        budget.describe(resolved.database().instanceClass()),
        gen,
        before,
        now);
  }

  private static Condition peakCondition(
      ResolvedCampaign resolved, CharityCampaignStatus status, long gen, List<Condition> before, String now) {
    var peaks = resolved.peaks();
    var windows = new CharityCampaignStatus.PeakWindowsStatus();
    peaks.active().ifPresent(w -> windows.active = w.name);
    peaks.next().ifPresent(w -> {
      windows.next = w.name;
      windows.nextFloorRisesAt = dev.donations.operator.campaign.app.PeakSchedule.rise(w).toString();
    });
    status.peakWindows = windows.active == null && windows.next == null ? null : windows;
    StringBuilder message = new StringBuilder();
    peaks.active().ifPresentOrElse(
        w -> message.append("window ").append(w.name).append(peaks.started() ? " is on" : " starts soon")
            .append(": floor ").append(resolved.scaling().minReplicas()).append(" pods")
            .append(peaks.started() ? ", scale-in frozen" : ""),
        () -> message.append("no window active"));
    peaks.next().ifPresent(w -> message.append("; next ").append(w.name).append(", floor rises at ")
        .append(dev.donations.operator.campaign.app.PeakSchedule.rise(w)));
    if (!peaks.past().isEmpty()) {
      message.append("; in the past and ignored: ")
          .append(String.join(", ", peaks.past().stream().map(w -> w.name + " (ended " + w.end + ")").toList()));
    }
    String reason = peaks.active().isPresent() ? (peaks.started() ? "PeakOn" : "PeakAhead") : peaks.past().isEmpty() ? "Scheduled" : "SomeWindowsPast";
    return Conditions.of(Conditions.PEAK_WINDOWS, true, reason, message.toString(), gen, before, now);
  }

  private static Condition databaseCondition(
      ResolvedCampaign resolved, CampaignObservation observed, CharityCampaignStatus status, long gen, List<Condition> before, String now) {
    String id = resolved.database().identifier();
    CharityCampaignStatus.DatabaseStatus db = new CharityCampaignStatus.DatabaseStatus();
    db.identifier = id;
    db.secretName = CampaignNames.databaseSecret(resolved.campaign());
    status.database = db;
    String error = observed.errorsByCondition().get(Conditions.DATABASE_READY);
    Optional<DatabaseInstance> instance = observed.database();
    instance.ifPresent(
        i -> {
          db.state = i.state();
          db.endpoint = i.endpoint();
          db.port = i.port();
        });
    if (error != null) {
      return Conditions.of(Conditions.DATABASE_READY, false, Errors.reason(error), error, gen, before, now);
    }
    if (instance.isEmpty()) {
      return Conditions.of(Conditions.DATABASE_READY, false, "Creating", "creating RDS instance " + id, gen, before, now);
    }
    if (!instance.get().serving()) {
      return Conditions.of(
          Conditions.DATABASE_READY,
          false,
          "Waiting",
          "RDS instance " + id + " is " + instance.get().state() + "; creation usually takes 10 to 20 minutes",
          gen,
          before,
          now);
    }
    return Conditions.of(
        Conditions.DATABASE_READY,
        true,
        "Available",
        "RDS instance " + id + " (" + instance.get().instanceClass() + ") is " + instance.get().state(),
        gen,
        before,
        now);
  }

  private static Condition storageCondition(
      ResolvedCampaign resolved, CampaignObservation observed, CharityCampaignStatus status, long gen, List<Condition> before, String now) {
    String error = observed.errorsByCondition().get(Conditions.STORAGE_READY);
    Optional<EfsStorage> efs = observed.storage();
    efs.ifPresent(
        s -> {
          CharityCampaignStatus.StorageStatus st = new CharityCampaignStatus.StorageStatus();
          st.fileSystemId = s.fileSystemId();
          st.accessPointId = s.accessPointId();
          st.mountTargets = (int) s.availableMountTargets();
          status.storage = st;
        });
    if (error != null) {
      return Conditions.of(Conditions.STORAGE_READY, false, Errors.reason(error), error, gen, before, now);
    }
    if (efs.isEmpty()) {
      return Conditions.of(Conditions.STORAGE_READY, false, "Creating", "creating the EFS file system", gen, before, now);
    }
    EfsStorage s = efs.get();
    int wanted = resolved.storage().subnetIds().size();
    if (!s.fileSystemAvailable() || s.availableMountTargets() < wanted || !s.accessPointAvailable()) {
      return Conditions.of(
          Conditions.STORAGE_READY,
          false,
          "Waiting",
          "EFS " + s.fileSystemId() + " is " + s.fileSystemState() + ", " + s.availableMountTargets() + " of " + wanted
              + " mount targets available, access point " + (s.accessPointId() == null ? "not created yet" : s.accessPointState()),
          gen,
          before,
          now);
    }
    String phase = observed.uploadsClaim().map(c -> c.getStatus() == null ? null : c.getStatus().getPhase()).orElse(null);
    if (!"Bound".equals(phase)) {
      return Conditions.of(
          Conditions.STORAGE_READY,
          false,
          "Binding",
          "claim " + CampaignNames.uploadsClaim(resolved.campaign()) + " is " + (phase == null ? "not created yet" : phase),
          gen,
          before,
          now);
    }
    return Conditions.of(
        Conditions.STORAGE_READY, true, "Bound", "EFS " + s.volumeHandle() + " is mounted through claim "
            + CampaignNames.uploadsClaim(resolved.campaign()), gen, before, now);
  }

  private static Condition siteCondition(
      ResolvedCampaign resolved,
      CampaignObservation observed,
      CharityCampaignStatus status,
      Condition db,
      Condition storage,
      long gen,
      List<Condition> before,
      String now) {
    String error = observed.errorsByCondition().get(Conditions.SITE_READY);
    Optional<Deployment> site = observed.site();
    status.replicas = site.map(d -> d.getStatus() == null ? null : d.getStatus().getReplicas()).orElse(null);
    status.readyReplicas = site.map(d -> d.getStatus() == null ? null : d.getStatus().getReadyReplicas()).orElse(null);
    if (error != null) {
      return Conditions.of(Conditions.SITE_READY, false, Errors.reason(error), error, gen, before, now);
    }
    if (site.isEmpty()) {
      boolean waiting = !Conditions.TRUE.equals(db.getStatus()) || !Conditions.TRUE.equals(storage.getStatus());
      return Conditions.of(
          Conditions.SITE_READY,
          false,
          waiting ? "WaitingForDependencies" : "Creating",
          waiting ? "the site starts once the database and the storage are ready" : "creating the WordPress Deployment",
          gen,
          before,
          now);
    }
    int ready = Optional.ofNullable(status.readyReplicas).orElse(0);
    int min = resolved.scaling().minReplicas();
    if (ready < min) {
      return Conditions.of(
          Conditions.SITE_READY, false, "PodsNotReady", ready + " of at least " + min + " WordPress pods ready", gen, before, now);
    }
    return Conditions.of(Conditions.SITE_READY, true, "PodsReady", ready + " WordPress pods ready", gen, before, now);
  }

  private static Condition fallbackCondition(
      ResolvedCampaign resolved,
      CampaignObservation observed,
      CharityCampaignStatus status,
      Optional<URI> awsEndpointOverride,
      long gen,
      List<Condition> before,
      String now) {
    String error = observed.errorsByCondition().get(Conditions.FALLBACK_READY);
    String bucket = resolved.fallback().bucket();
    boolean pageOnS3 =
        observed.bucket().map(b -> PageDigest.sha256(resolved.fallback().html()).equals(b.pageSha256())).orElse(false);
    if (observed.bucket().isPresent()) {
      status.fallbackUrl = FallbackWebsite.url(bucket, resolved.region(), awsEndpointOverride);
    }
    if (error != null) {
      return Conditions.of(Conditions.FALLBACK_READY, false, Errors.reason(error), error, gen, before, now);
    }
    int ready = observed.fallback().map(Deployment::getStatus).map(s -> s.getReadyReplicas()).orElse(0);
    if (ready < 1) {
      return Conditions.of(Conditions.FALLBACK_READY, false, "PodsNotReady", "no fallback nginx pod is ready yet", gen, before, now);
    }
    if (!pageOnS3) {
      return Conditions.of(
          Conditions.FALLBACK_READY, false, "Uploading", "uploading the page to S3 bucket " + bucket, gen, before, now);
    }
    String serving = ready + " fallback pods ready; the page is also on S3 bucket " + bucket;
    Optional<FailoverReport.Report> failover = FailoverReport.of(resolved, observed.failover());
    if (failover.isPresent() && !failover.get().ready()) {
      return Conditions.of(Conditions.FALLBACK_READY, false, failover.get().reason(), failover.get().message(), gen, before, now);
    }
    return Conditions.of(
        Conditions.FALLBACK_READY,
        true,
        "Serving",
        serving + failover.map(f -> "; " + f.message()).orElse(""),
        gen,
        before,
        now);
  }

  /**
   * While a campaign is invalid its class cannot be read, so the recorded policy only ever moves to the
   * safer of what was recorded and what the spec now says: an edit from Delete to Snapshot takes effect,
   * one from Snapshot to Delete waits until the class can confirm it is allowed.
   */
  static DeletionSpec saferDeletion(DeletionSpec recorded, DeletionSpec spec) {
    if (recorded == null) {
      return null;
    }
    DeletionSpec result = new DeletionSpec();
    result.database = safer(recorded.database, spec == null ? null : spec.database, List.of(
        dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy.Retain,
        dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy.Snapshot,
        dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy.Delete));
    result.storage = safer(recorded.storage, spec == null ? null : spec.storage, List.of(
        dev.donations.operator.api.v1alpha1.StorageDeletionPolicy.Retain,
        dev.donations.operator.api.v1alpha1.StorageDeletionPolicy.Delete));
    return result;
  }

  private static <T> T safer(T recorded, T wanted, List<T> safestFirst) {
    if (recorded == null || wanted == null) {
      return recorded;
    }
    return safestFirst.indexOf(wanted) < safestFirst.indexOf(recorded) ? wanted : recorded;
  }

  private static CharityCampaignStatus previous(CharityCampaign campaign) {
    return campaign.getStatus() == null ? new CharityCampaignStatus() : campaign.getStatus();
  }

  /** The recorded facts that survive a reconcile which cannot observe them (for deletion). */
  private static CharityCampaignStatus copyFacts(CharityCampaignStatus previous) {
    CharityCampaignStatus status = new CharityCampaignStatus();
    status.region = previous.region;
    status.deletion = previous.deletion;
    status.fallbackBucket = previous.fallbackBucket;
    status.failover = previous.failover;
    status.connectionBudget = previous.connectionBudget;
    status.peakWindows = previous.peakWindows;
    status.scaling = previous.scaling;
    status.fallbackUrl = previous.fallbackUrl;
    status.siteUrl = previous.siteUrl;
    status.database = previous.database;
    status.storage = previous.storage;
    status.replicas = previous.replicas;
    status.readyReplicas = previous.readyReplicas;
    return status;
  }
}
