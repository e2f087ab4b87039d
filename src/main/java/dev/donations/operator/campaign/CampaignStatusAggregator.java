package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy;
import dev.donations.operator.api.v1alpha1.DeletionSpec;
import dev.donations.operator.api.v1alpha1.StorageDeletionPolicy;
import dev.donations.operator.campaign.CampaignResolver.Problem;
import dev.donations.operator.campaign.app.PeakWindowsCondition;
import dev.donations.operator.campaign.app.SiteReadyCondition;
import dev.donations.operator.campaign.database.ConnectionBudgetCondition;
import dev.donations.operator.campaign.database.DatabaseReadyCondition;
import dev.donations.operator.campaign.failover.FailoverFacts;
import dev.donations.operator.campaign.fallback.FallbackReadyCondition;
import dev.donations.operator.campaign.network.NetworkReadyCondition;
import dev.donations.operator.campaign.route.RouteStatus;
import dev.donations.operator.campaign.storage.StorageReadyCondition;
import io.fabric8.kubernetes.api.model.Condition;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one place that decides what a campaign's status says, Ready included: the whole status of
 * each step of a campaign's life (invalid, facts recorded, provisioning or ready, failed reconcile,
 * deleting), from the conditions of its parts (the *Condition classes beside each part's
 * dependents). Pure: it takes the observation, the previous status and the time, and returns the
 * new status; nothing here holds a secret.
 */
public final class CampaignStatusAggregator {

  private CampaignStatusAggregator() {}

  /**
   * Status of a campaign whose spec or class stops it: phase Failed (every resolver problem is one
   * of NeedsChange's), and nothing is created until it is fixed.
   */
  public static CharityCampaignStatus invalid(
      CharityCampaign campaign, List<Problem> problems, String now) {
    CharityCampaignStatus previous = previous(campaign);
    CharityCampaignStatus status = copyFacts(previous);
    StatusConditions c =
        new StatusConditions(campaign.getMetadata().getGeneration(), previous.conditions, now);
    status.observedGeneration = c.generation();
    status.phase = Phase.Failed;
    status.deletion = saferDeletion(previous.deletion, campaign.getSpec().deletion);
    Problem first = problems.get(0);
    String message = String.join("; ", problems.stream().map(Problem::message).toList());
    List<Condition> conditions = new ArrayList<>();
    // Keep what was observed of the other conditions; Ready carries the problem.
    for (String type :
        List.of(
            Conditions.DATABASE_READY,
            Conditions.STORAGE_READY,
            Conditions.SITE_READY,
            Conditions.NETWORK_READY,
            Conditions.FALLBACK_READY,
            Conditions.ROUTE_READY,
            Conditions.FALLBACK_ACTIVE)) {
      Conditions.find(previous.conditions, type).ifPresent(conditions::add);
    }
    conditions.add(c.of(Conditions.READY, false, first.reason(), message));
    status.conditions = conditions;
    return status;
  }

  /**
   * Status after a reconcile that failed outside the workflow (an exception in class resolution,
   * the image pre-pull, an API call): everything observed before stays, Ready says what failed. The
   * failure is retried with back-off; the next successful reconcile writes the full status again.
   */
  public static CharityCampaignStatus reconcileError(
      CharityCampaign campaign, String message, String now) {
    CharityCampaignStatus previous = previous(campaign);
    CharityCampaignStatus status = copyFacts(previous);
    status.observedGeneration = previous.observedGeneration;
    List<Condition> conditions = new ArrayList<>();
    if (previous.conditions != null) {
      previous.conditions.stream()
          .filter(old -> !Conditions.READY.equals(old.getType()))
          .forEach(conditions::add);
    }
    StatusConditions c =
        new StatusConditions(campaign.getMetadata().getGeneration(), previous.conditions, now);
    conditions.add(c.of(Conditions.READY, false, "ReconcileError", message));
    status.conditions = conditions;
    // Failed stands only while a condition still says what to change; a ReconcileError is retried.
    status.phase =
        previous.phase == null || (previous.phase == Phase.Failed && !NeedsChange.any(conditions))
            ? Phase.Provisioning
            : previous.phase;
    return status;
  }

  /**
   * Status while the campaign is being deleted: phase Deleting, the final snapshot's name under the
   * Snapshot policy, Ready False (nothing is being served any more), and a Deleting condition
   * saying what is awaited or which step failed.
   */
  public static CharityCampaignStatus deleting(
      CharityCampaign campaign, String reason, String message, String now) {
    CharityCampaignStatus previous = previous(campaign);
    CharityCampaignStatus status = copyFacts(previous);
    status.observedGeneration = previous.observedGeneration;
    status.phase = Phase.Deleting;
    if (CampaignStatusFacts.databaseDeletion(campaign) == DatabaseDeletionPolicy.Snapshot
        && CampaignStatusFacts.databaseSeen(campaign)) {
      CharityCampaignStatus.DatabaseStatus db =
          previous.database == null
              ? new CharityCampaignStatus.DatabaseStatus()
              : previous.database;
      db.finalSnapshot = CampaignNames.finalSnapshot(campaign);
      status.database = db;
    }
    StatusConditions c =
        new StatusConditions(campaign.getMetadata().getGeneration(), previous.conditions, now);
    List<Condition> conditions = new ArrayList<>();
    if (previous.conditions != null) {
      previous.conditions.stream()
          .filter(
              old ->
                  !Conditions.READY.equals(old.getType())
                      && !Conditions.DELETING.equals(old.getType()))
          .forEach(conditions::add);
    }
    conditions.add(c.of(Conditions.DELETING, Conditions.TRUE, reason, message));
    conditions.add(
        c.of(Conditions.READY, false, "Deleting", "the campaign is being deleted: " + message));
    status.conditions = conditions;
    return status;
  }

  /**
   * The first status of a valid campaign: where its AWS resources will live and the deletion
   * policies, recorded before anything is created so that deletion always knows where to look.
   */
  public static CharityCampaignStatus recordFacts(ResolvedCampaign resolved, String now) {
    CharityCampaign campaign = resolved.campaign();
    CharityCampaignStatus previous = previous(campaign);
    CharityCampaignStatus status = copyFacts(previous);
    status.conditions = previous.conditions;
    status.observedGeneration = previous.observedGeneration;
    // A running campaign whose class adds failover keeps its phase while the new part is recorded;
    // one that was Failed is valid now, so it waits for what comes.
    status.phase =
        previous.phase == null || previous.phase == Phase.Failed
            ? Phase.Provisioning
            : previous.phase;
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
      ResolvedCampaign resolved,
      CampaignObservation observed,
      Optional<URI> awsEndpointOverride,
      String now) {
    CharityCampaign campaign = resolved.campaign();
    CharityCampaignStatus previous = previous(campaign);
    StatusConditions c =
        new StatusConditions(campaign.getMetadata().getGeneration(), previous.conditions, now);
    CharityCampaignStatus status = copyFacts(previous);
    status.observedGeneration = c.generation();
    status.region = resolved.region();
    status.deletion = deletion(resolved);
    status.fallbackBucket = resolved.fallback().bucket();
    status.failover = FailoverFacts.observed(previous.failover, resolved, observed.failover());
    var routing = resolved.site().routing();
    boolean https =
        routing.provider().gateway()
            ? routing.gateway().https()
            : campaign.getSpec().site.tlsSecretName != null;
    String scheme = https ? "https" : "http";
    status.siteUrl = scheme + "://" + resolved.site().host() + "/";

    Condition db = DatabaseReadyCondition.of(resolved, observed, status, c);
    Condition storage = StorageReadyCondition.of(resolved, observed, status, c);
    Condition site = SiteReadyCondition.of(resolved, observed, status, db, storage, c);
    Condition network = NetworkReadyCondition.of(resolved, observed, c);
    Condition fallback =
        FallbackReadyCondition.of(resolved, observed, status, awsEndpointOverride, c);
    Condition route =
        RouteStatus.routeReady(resolved, observed.routing(), c.generation(), c.previous(), c.now());
    Condition fallbackActive =
        RouteStatus.fallbackActive(observed.routing(), c.generation(), c.previous(), c.now());
    List<Condition> parts = List.of(db, storage, site, network, fallback, route, fallbackActive);
    // A route still waiting for its Gateway's controller (Unknown) does not hold Ready back; a
    // refused one does. NetworkReady is Unknown only before any look-up, which every reconcile
    // makes.
    List<Condition> notReady =
        parts.stream()
            .filter(
                p ->
                    p == fallbackActive
                        ? Conditions.TRUE.equals(p.getStatus())
                        : p == route || p == network
                            ? Conditions.FALSE.equals(p.getStatus())
                            : !Conditions.TRUE.equals(p.getStatus()))
            .toList();
    List<Condition> conditions = new ArrayList<>(parts);
    conditions.add(ready(notReady, c));
    conditions.add(ConnectionBudgetCondition.of(resolved, status, c));
    conditions.add(PeakWindowsCondition.of(resolved, status, c));
    status.conditions = conditions;
    status.phase = phase(notReady, previous.phase);
    return status;
  }

  /**
   * Ready when nothing holds Ready back; Failed when something does for a reason only a change
   * clears (NeedsChange), whether or not the site was up; else Degraded after being up and
   * Provisioning before.
   */
  static Phase phase(List<Condition> notReady, Phase previous) {
    if (notReady.isEmpty()) {
      return Phase.Ready;
    }
    if (NeedsChange.any(notReady)) {
      return Phase.Failed;
    }
    return previous == Phase.Ready || previous == Phase.Degraded
        ? Phase.Degraded
        : Phase.Provisioning;
  }

  /**
   * Ready: True when no part holds it back, else named after the first part that does, with all
   * their messages.
   */
  private static Condition ready(List<Condition> notReady, StatusConditions c) {
    if (notReady.isEmpty()) {
      return c.of(
          Conditions.READY,
          true,
          "AllReady",
          "database, storage, site, fallback and route are ready; visitors get the site");
    }
    return c.of(
        Conditions.READY,
        false,
        notReady.get(0).getType().replace("Ready", "NotReady"),
        String.join(
            "; ", notReady.stream().map(p -> p.getType() + ": " + p.getMessage()).toList()));
  }

  /**
   * While a campaign is invalid its class cannot be read, so the recorded policy only ever moves to
   * the safer of what was recorded and what the spec now says: an edit from Delete to Snapshot
   * takes effect, one from Snapshot to Delete waits until the class can confirm it is allowed.
   */
  static DeletionSpec saferDeletion(DeletionSpec recorded, DeletionSpec spec) {
    if (recorded == null) {
      return null;
    }
    DeletionSpec result = new DeletionSpec();
    result.database =
        safer(
            recorded.database,
            spec == null ? null : spec.database,
            List.of(
                DatabaseDeletionPolicy.Retain,
                DatabaseDeletionPolicy.Snapshot,
                DatabaseDeletionPolicy.Delete));
    result.storage =
        safer(
            recorded.storage,
            spec == null ? null : spec.storage,
            List.of(StorageDeletionPolicy.Retain, StorageDeletionPolicy.Delete));
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
