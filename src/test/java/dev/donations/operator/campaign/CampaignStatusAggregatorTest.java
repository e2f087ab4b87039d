package dev.donations.operator.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.api.v1alpha1.GatewayRefSpec;
import dev.donations.operator.api.v1alpha1.RouteProvider;
import dev.donations.operator.campaign.database.DatabaseInstance;
import dev.donations.operator.campaign.fallback.FallbackBucketState;
import dev.donations.operator.campaign.fallback.PageDigest;
import dev.donations.operator.campaign.route.RouteObservation;
import dev.donations.operator.campaign.route.TraefikMiddleware;
import dev.donations.operator.campaign.storage.EfsStorage;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CampaignStatusAggregatorTest {

  final CharityCampaign campaign = TestCampaigns.campaign();
  final ResolvedCampaign resolved = TestCampaigns.resolved(campaign);

  @Test
  void aNewCampaignIsProvisioningAndSaysWhatItWaitsFor() {
    var status =
        CampaignStatusAggregator.aggregate(
            resolved, nothingYet(), Optional.empty(), "2026-11-26T10:00:00Z");
    assertThat(status.phase).isEqualTo(Phase.Provisioning);
    assertThat(status.observedGeneration).isEqualTo(3L);
    assertThat(Conditions.find(status.conditions, "DatabaseReady").orElseThrow().getReason())
        .isEqualTo("Creating");
    assertThat(Conditions.find(status.conditions, "SiteReady").orElseThrow().getMessage())
        .isEqualTo("the site starts once the database and the storage are ready");
    assertThat(Conditions.find(status.conditions, "Ready").orElseThrow().getStatus())
        .isEqualTo("False");
    assertThat(status.region).isEqualTo("eu-west-1");
    assertThat(status.deletion.database).isNotNull();
  }

  @Test
  void everythingObservedReadyMakesTheCampaignReady() {
    var status =
        CampaignStatusAggregator.aggregate(
            resolved, allReady(), Optional.empty(), "2026-11-26T10:00:00Z");
    assertThat(status.phase).isEqualTo(Phase.Ready);
    assertThat(status.conditions)
        .extracting(c -> c.getType() + "=" + c.getStatus())
        .containsExactly(
            "DatabaseReady=True",
            "StorageReady=True",
            "SiteReady=True",
            "NetworkReady=True",
            "FallbackReady=True",
            "RouteReady=True",
            "FallbackActive=False",
            "Ready=True",
            "ConnectionBudget=True",
            "PeakWindows=True");
    assertThat(status.database.endpoint).isEqualTo("db.example");
    assertThat(status.fallbackUrl)
        .isEqualTo(
            "http://" + resolved.fallback().bucket() + ".s3-website-eu-west-1.amazonaws.com/");
    assertThat(status.readyReplicas).isEqualTo(2);
  }

  @Test
  void transitionTimesMoveOnlyWhenAConditionFlips() {
    campaign.setStatus(
        CampaignStatusAggregator.aggregate(
            resolved, allReady(), Optional.empty(), "2026-11-26T10:00:00Z"));
    var later =
        CampaignStatusAggregator.aggregate(
            resolved, allReady(), Optional.empty(), "2026-11-26T11:00:00Z");
    assertThat(later.conditions)
        .allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-26T10:00:00Z"));
    assertThat(StatusComparison.same(campaign.getStatus(), later)).isTrue();
  }

  @Test
  void aReadyCampaignThatLosesItsPodsIsDegradedAndAnErrorIsShown() {
    campaign.setStatus(
        CampaignStatusAggregator.aggregate(
            resolved, allReady(), Optional.empty(), "2026-11-26T10:00:00Z"));
    var broken =
        new CampaignObservation(
            allReady().database(),
            allReady().storage(),
            allReady().uploadsClaim(),
            Optional.of(deployment(0)),
            allReady().fallback(),
            allReady().bucket(),
            TestCampaigns.siteServing(),
            Map.of(Conditions.DATABASE_READY, PartError.of("Rate exceeded")));
    var status =
        CampaignStatusAggregator.aggregate(
            resolved, broken, Optional.empty(), "2026-11-26T12:00:00Z");
    assertThat(status.phase).isEqualTo(Phase.Degraded);
    var db = Conditions.find(status.conditions, "DatabaseReady").orElseThrow();
    assertThat(db.getReason()).isEqualTo("ProvisioningError");
    assertThat(db.getMessage()).isEqualTo("Rate exceeded");
    assertThat(db.getLastTransitionTime()).isEqualTo("2026-11-26T12:00:00Z");
    assertThat(Conditions.find(status.conditions, "SiteReady").orElseThrow().getMessage())
        .isEqualTo("0 of at least 2 WordPress pods ready");
  }

  @Test
  void aSiteWithoutReadyPodsSendsVisitorsToTheFallbackAndIsNotReady() {
    var down =
        new CampaignObservation(
            allReady().database(),
            allReady().storage(),
            allReady().uploadsClaim(),
            allReady().site(),
            allReady().fallback(),
            allReady().bucket(),
            new dev.donations.operator.campaign.route.RouteObservation(
                new dev.donations.operator.campaign.route.RouteTarget(
                    true, "HoldDown", "back to the site in 30s", 2, Optional.empty()),
                List.of(),
                Optional.empty()),
            Map.of());
    var status =
        CampaignStatusAggregator.aggregate(
            resolved, down, Optional.empty(), "2026-11-26T12:00:00Z");
    assertThat(Conditions.find(status.conditions, "FallbackActive").orElseThrow().getReason())
        .isEqualTo("HoldDown");
    var ready = Conditions.find(status.conditions, "Ready").orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage()).isEqualTo("FallbackActive: back to the site in 30s");
  }

  @Test
  void aFailedReconcileKeepsWhatWasObservedAndSaysWhatFailedInReady() {
    campaign.setStatus(
        CampaignStatusAggregator.aggregate(
            resolved, allReady(), Optional.empty(), "2026-11-26T10:00:00Z"));
    var status =
        CampaignStatusAggregator.reconcileError(
            campaign, "reconcile failed: connection reset", "2026-11-26T12:00:00Z");
    assertThat(status.phase).isEqualTo(Phase.Ready);
    assertThat(status.database.endpoint).isEqualTo("db.example");
    assertThat(Conditions.find(status.conditions, "DatabaseReady").orElseThrow().getStatus())
        .isEqualTo("True");
    var ready = Conditions.find(status.conditions, "Ready").orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("ReconcileError");
    assertThat(ready.getMessage()).isEqualTo("reconcile failed: connection reset");
    var fresh = TestCampaigns.campaign();
    assertThat(CampaignStatusAggregator.reconcileError(fresh, "boom", "2026-11-26T12:00:00Z").phase)
        .as("a campaign without status yet")
        .isEqualTo(Phase.Provisioning);
  }

  @Test
  void anInvalidCampaignFailsButKeepsWhatWasRecordedForDeletion() {
    campaign.setStatus(
        CampaignStatusAggregator.aggregate(
            resolved, allReady(), Optional.empty(), "2026-11-26T10:00:00Z"));
    CharityCampaignStatus status =
        CampaignStatusAggregator.invalid(
            campaign,
            List.of(new CampaignResolver.Problem("ClassNotFound", "gone")),
            "2026-11-26T12:00:00Z");
    assertThat(status.phase).isEqualTo(Phase.Failed);
    assertThat(status.region).isEqualTo("eu-west-1");
    assertThat(status.deletion).isNotNull();
    assertThat(Conditions.find(status.conditions, "Ready").orElseThrow().getReason())
        .isEqualTo("ClassNotFound");
  }

  @Test
  void whileInvalidTheRecordedDeletionPolicyOnlyBecomesSafer() {
    var recorded = new dev.donations.operator.api.v1alpha1.DeletionSpec();
    recorded.database = dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy.Delete;
    recorded.storage = dev.donations.operator.api.v1alpha1.StorageDeletionPolicy.Retain;
    var spec = new dev.donations.operator.api.v1alpha1.DeletionSpec();
    spec.database = dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy.Snapshot;
    spec.storage = dev.donations.operator.api.v1alpha1.StorageDeletionPolicy.Delete;
    var result = CampaignStatusAggregator.saferDeletion(recorded, spec);
    assertThat(result.database)
        .isEqualTo(dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy.Snapshot);
    assertThat(result.storage)
        .isEqualTo(dev.donations.operator.api.v1alpha1.StorageDeletionPolicy.Retain);
  }

  @Test
  void aNewCampaignRecordsWhereAndHowBeforeAnythingIsCreated() {
    var status = CampaignStatusAggregator.recordFacts(resolved, "2026-11-26T10:00:00Z");
    assertThat(status.region).isEqualTo("eu-west-1");
    assertThat(status.fallbackBucket).isEqualTo(resolved.fallback().bucket());
    assertThat(status.deletion.database)
        .isEqualTo(dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy.Snapshot);
    assertThat(status.phase).isEqualTo(Phase.Provisioning);
  }

  @Test
  void aRouteApiTheClusterLacksNeedsAChangeNotPatience() {
    ResolvedCampaign traefik = gatewayResolved(RouteProvider.Traefik);
    var status =
        CampaignStatusAggregator.aggregate(
            traefik,
            withRoute(nothingYet(), List.of(TraefikMiddleware.CRD)),
            Optional.empty(),
            "2026-11-26T10:00:00Z");
    assertThat(Conditions.find(status.conditions, "RouteReady").orElseThrow().getReason())
        .isEqualTo("RouteApiMissing");
    assertThat(status.phase)
        .as("waiting on RDS too, but no wait installs Traefik's CRD")
        .isEqualTo(Phase.Failed);
  }

  @Test
  void aRunningCampaignWhoseRouteApiGoesFailsAndComesBackWhenItIsInstalled() {
    ResolvedCampaign traefik = gatewayResolved(RouteProvider.Traefik);
    campaign.setStatus(
        CampaignStatusAggregator.aggregate(
            resolved, allReady(), Optional.empty(), "2026-11-26T10:00:00Z"));
    var missing =
        CampaignStatusAggregator.aggregate(
            traefik,
            withRoute(allReady(), List.of(TraefikMiddleware.CRD)),
            Optional.empty(),
            "2026-11-26T11:00:00Z");
    assertThat(missing.phase).as("not Degraded: it does not heal").isEqualTo(Phase.Failed);
    campaign.setStatus(missing);
    var installed =
        CampaignStatusAggregator.aggregate(
            traefik, withRoute(allReady(), List.of()), Optional.empty(), "2026-11-26T12:00:00Z");
    assertThat(Conditions.find(installed.conditions, "RouteReady").orElseThrow().getReason())
        .isEqualTo("Creating");
    assertThat(installed.phase)
        .as("the route is being written: waiting again, no longer blocked")
        .isEqualTo(Phase.Provisioning);
  }

  @ParameterizedTest
  @ValueSource(strings = {NeedsChange.SNAPSHOT_NOT_FOUND, NeedsChange.SNAPSHOT_NOT_ALLOWED})
  void aSnapshotThatCannotBeRestoredNeedsAChange(String reason) {
    var status =
        CampaignStatusAggregator.aggregate(
            resolved,
            withDatabaseError(nothingYet(), new NeedsChangeException(reason, "fix the snapshot")),
            Optional.empty(),
            "2026-11-26T10:00:00Z");
    var db = Conditions.find(status.conditions, "DatabaseReady").orElseThrow();
    assertThat(db.getReason()).isEqualTo(reason);
    assertThat(db.getMessage()).isEqualTo("fix the snapshot");
    assertThat(status.phase).isEqualTo(Phase.Failed);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "snapshot dc-old-final is creating; the database is restored from it once it is available",
        "Rate exceeded"
      })
  void whatTimeFixesKeepsTheCampaignProvisioning(String message) {
    var status =
        CampaignStatusAggregator.aggregate(
            resolved,
            withDatabaseError(nothingYet(), new IllegalStateException(message)),
            Optional.empty(),
            "2026-11-26T10:00:00Z");
    assertThat(Conditions.find(status.conditions, "DatabaseReady").orElseThrow().getReason())
        .isEqualTo("ProvisioningError");
    assertThat(status.phase).isEqualTo(Phase.Provisioning);
  }

  @Test
  void throttlingKeepsTheCampaignProvisioning() {
    var status =
        CampaignStatusAggregator.aggregate(
            resolved,
            withDatabaseError(nothingYet(), PartError.of(Errors.THROTTLED + "Rate exceeded")),
            Optional.empty(),
            "2026-11-26T10:00:00Z");
    assertThat(Conditions.find(status.conditions, "DatabaseReady").orElseThrow().getReason())
        .isEqualTo("AwsThrottled");
    assertThat(status.phase).isEqualTo(Phase.Provisioning);
  }

  @Test
  void aSnapshotCreatedMeanwhileTakesTheCampaignBackToProvisioning() {
    campaign.setStatus(
        CampaignStatusAggregator.aggregate(
            resolved,
            withDatabaseError(
                nothingYet(),
                new NeedsChangeException(NeedsChange.SNAPSHOT_NOT_FOUND, "no snapshot")),
            Optional.empty(),
            "2026-11-26T10:00:00Z"));
    assertThat(campaign.getStatus().phase).isEqualTo(Phase.Failed);
    // The workflow's 15 s retry restores it once it exists: RDS is creating the instance.
    var status =
        CampaignStatusAggregator.aggregate(
            resolved, nothingYet(), Optional.empty(), "2026-11-26T10:00:15Z");
    assertThat(status.phase).isEqualTo(Phase.Provisioning);
    assertThat(Conditions.find(status.conditions, "DatabaseReady").orElseThrow().getReason())
        .isEqualTo("Creating");
  }

  @Test
  void aFixedInvalidCampaignLeavesFailedAtOnce() {
    campaign.setStatus(
        CampaignStatusAggregator.invalid(
            campaign,
            List.of(new CampaignResolver.Problem("ClassNotFound", "gone")),
            "2026-11-26T10:00:00Z"));
    assertThat(campaign.getStatus().phase).isEqualTo(Phase.Failed);
    // The class appears: the first reconcile records the facts, the next aggregates.
    var facts = CampaignStatusAggregator.recordFacts(resolved, "2026-11-26T10:01:00Z");
    assertThat(facts.phase).isEqualTo(Phase.Provisioning);
    campaign.setStatus(facts);
    assertThat(
            CampaignStatusAggregator.aggregate(
                    resolved, nothingYet(), Optional.empty(), "2026-11-26T10:01:01Z")
                .phase)
        .isEqualTo(Phase.Provisioning);
  }

  @Test
  void aReconcileErrorAfterFailedIsNotShownAsFailed() {
    campaign.setStatus(
        CampaignStatusAggregator.invalid(
            campaign,
            List.of(new CampaignResolver.Problem("ClassNotFound", "gone")),
            "2026-11-26T10:00:00Z"));
    var status = CampaignStatusAggregator.reconcileError(campaign, "boom", "2026-11-26T10:01:00Z");
    assertThat(status.phase)
        .as("Ready no longer says what to change; the error is retried")
        .isEqualTo(Phase.Provisioning);
    ResolvedCampaign traefik = gatewayResolved(RouteProvider.Traefik);
    campaign.setStatus(
        CampaignStatusAggregator.aggregate(
            traefik,
            withRoute(allReady(), List.of(TraefikMiddleware.CRD)),
            Optional.empty(),
            "2026-11-26T11:00:00Z"));
    assertThat(
            CampaignStatusAggregator.reconcileError(campaign, "boom", "2026-11-26T11:01:00Z").phase)
        .as("RouteReady still says RouteApiMissing")
        .isEqualTo(Phase.Failed);
  }

  private ResolvedCampaign gatewayResolved(RouteProvider provider) {
    var cls = TestCampaigns.campaignClass();
    cls.getSpec().ingress.provider = provider;
    cls.getSpec().ingress.gateway = new GatewayRefSpec();
    cls.getSpec().ingress.gateway.name = "public";
    cls.getSpec().ingress.gateway.namespace = "gateways";
    return CampaignResolver.resolve(
            campaign,
            Optional.of(cls),
            List.of(),
            Optional.empty(),
            TestCampaigns.DEFAULTS,
            TestCampaigns.NOW)
        .resolved()
        .orElseThrow();
  }

  private static CampaignObservation withDatabaseError(CampaignObservation o, Exception e) {
    return withDatabaseError(o, PartError.of(e));
  }

  private static CampaignObservation withDatabaseError(CampaignObservation o, PartError e) {
    return new CampaignObservation(
        o.database(),
        o.storage(),
        o.uploadsClaim(),
        o.site(),
        o.fallback(),
        o.bucket(),
        o.routing(),
        o.failover(),
        Map.of(Conditions.DATABASE_READY, e),
        o.databaseSubnets());
  }

  private static CampaignObservation withRoute(CampaignObservation o, List<String> missingCrds) {
    return new CampaignObservation(
        o.database(),
        o.storage(),
        o.uploadsClaim(),
        o.site(),
        o.fallback(),
        o.bucket(),
        new RouteObservation(o.routing().target(), missingCrds, Optional.empty()),
        o.failover(),
        o.errorsByCondition(),
        o.databaseSubnets());
  }

  private CampaignObservation nothingYet() {
    return new CampaignObservation(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        TestCampaigns.siteServing(),
        Map.of());
  }

  private CampaignObservation allReady() {
    return new CampaignObservation(
        Optional.of(
            new DatabaseInstance(
                "db",
                "available",
                "db.example",
                3306,
                "db.t4g.medium",
                20,
                true,
                true,
                "db-params",
                "arn:aws:rds:eu-west-1:000000000000:db:db",
                "uid-1")),
        Optional.of(
            new EfsStorage(
                "fs-1",
                "available",
                Map.of("subnet-a", "available", "subnet-b", "available"),
                "fsap-1",
                "available")),
        Optional.of(
            new PersistentVolumeClaimBuilder()
                .withNewStatus()
                .withPhase("Bound")
                .endStatus()
                .build()),
        Optional.of(deployment(2)),
        Optional.of(deployment(2)),
        Optional.of(
            new FallbackBucketState(
                resolved.fallback().bucket(), PageDigest.sha256(resolved.fallback().html()))),
        TestCampaigns.siteServing(),
        dev.donations.operator.campaign.failover.FailoverObservation.none(),
        Map.of(),
        Optional.of(
            new dev.donations.operator.campaign.network.SubnetLookup(
                "private", List.of("10.42.0.0/24"), null, null)));
  }

  private static Deployment deployment(int ready) {
    return new DeploymentBuilder()
        .withNewStatus()
        .withReplicas(2)
        .withReadyReplicas(ready)
        .endStatus()
        .build();
  }
}
