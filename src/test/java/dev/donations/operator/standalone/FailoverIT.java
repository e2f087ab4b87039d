package dev.donations.operator.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus.Phase;
import dev.donations.operator.campaign.CampaignFixtures;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.database.DatabaseSecret;
import dev.donations.operator.campaign.database.RdsDatabase;
import dev.donations.operator.logging.CampaignLogContext;
import dev.donations.operator.testbed.AuditLog;
import dev.donations.operator.testbed.JsonLog;
import dev.donations.operator.testbed.LocalCluster;
import dev.donations.operator.testbed.OperatorProcess;
import dev.donations.operator.testbed.ReconcileLogCheck;
import dev.donations.operator.testbed.SecretScan;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart as ops install it, and two replicas of the packaged operator with leader election. The
 * chart goes onto the test bed with helm (its pods land on kwok nodes, which run no containers),
 * and its replicas run here as processes with tokens of the chart's ServiceAccount: only the
 * chart's RBAC, the prod profile, the chart's lease settings, and AWS credentials from STS as with
 * IRSA. The leader is killed mid-provisioning; the standby must take over within the lease time and
 * finish, and the API server's audit log must show that the two never wrote at once. The replicas
 * log as the chart sets them (JSON by default): their logs must hold none of the campaign's
 * generated secrets, and name the campaign, reconcile and dependent on its lines.
 */
class FailoverIT {

  static final String RELEASE = "ha";
  static final String NAMESPACE = "donation-operator-ha";
  static final String SERVICE_ACCOUNT = "ha-operator";
  static final String LEASE = RELEASE + "-donation-operator";
  static final String CAMPAIGNS = "ha-campaigns";

  /** The chart's default leaseDuration and retryPeriod. */
  static final Duration LEASE_DURATION = Duration.ofSeconds(15);

  static final Duration RETRY_PERIOD = Duration.ofSeconds(2);

  static LocalCluster cluster;
  static KubernetesClient client;
  static OperatorProcess a;
  static OperatorProcess b;
  static OperatorProcess c;

  @BeforeAll
  static void installTheChart() {
    cluster = LocalCluster.get();
    client = cluster.adminClient();
    ChartRelease.install(cluster, client, RELEASE, NAMESPACE, SERVICE_ACCOUNT, CAMPAIGNS);
  }

  @AfterAll
  static void uninstall() {
    for (OperatorProcess replica : new OperatorProcess[] {a, b, c}) {
      if (replica != null) {
        replica.close();
      }
    }
    if (client != null) {
      client.close();
      cluster.helm("uninstall", RELEASE, "--namespace", NAMESPACE);
    }
    LocalCluster.stopIfStartedHere();
  }

  @Test
  void theChartsPodsAreAdmittedUnderPodSecurityRestricted() {
    // The namespace enforces "restricted": the ReplicaSet's pods exist only if their spec complies.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              var deployment =
                  client
                      .apps()
                      .deployments()
                      .inNamespace(NAMESPACE)
                      .withName(RELEASE + "-donation-operator")
                      .get();
              assertThat(deployment.getStatus().getReadyReplicas()).isEqualTo(2);
            });
    assertThat(
            client
                .policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(NAMESPACE)
                .withName(RELEASE + "-donation-operator")
                .get()
                .getSpec()
                .getMaxUnavailable()
                .getIntVal())
        .isEqualTo(1);
  }

  @Test
  void theStandbyTakesOverWithinTheLeaseAndTheTwoNeverWriteAtOnce() {
    AuditLog audit = new AuditLog(cluster.auditLog());
    long mark = audit.mark();
    Map<String, String> chartSettings =
        new java.util.HashMap<>(
            Map.of(
                "DONATION_LEADER_ELECTION_LEASE_NAME", LEASE,
                "QUARKUS_OPERATOR_SDK_CONTROLLERS_CHARITYCAMPAIGN_NAMESPACES", CAMPAIGNS));
    // The chart's log format (logging.format, json by default), as its Deployment sets it.
    chartSettings.putAll(
        ChartRelease.env(client, RELEASE, NAMESPACE, "QUARKUS_LOG_CONSOLE_JSON_ENABLED"));
    a = OperatorProcess.start(cluster, "replica-a", NAMESPACE, SERVICE_ACCOUNT, chartSettings);
    b = OperatorProcess.start(cluster, "replica-b", NAMESPACE, SERVICE_ACCOUNT, chartSettings);

    // Both ready: one leads, the other stands by and names it.
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(a.alive() && b.alive())
                  .as("both replicas run; logs in target/replica-*.log")
                  .isTrue();
              assertThat(leaseHolder()).isIn("replica-a", "replica-b");
              for (OperatorProcess replica : List.of(a, b)) {
                assertThat(replica.readiness().get("leader-election")).isNotNull();
                assertThat(replica.readiness().get("leader-election").path("status").asText())
                    .isEqualTo("UP");
                assertThat(
                        replica
                            .readiness()
                            .get("leader-election")
                            .path("data")
                            .path("holder")
                            .asText())
                    .isEqualTo(leaseHolder());
              }
            });
    OperatorProcess leader = leaseHolder().equals(a.identity()) ? a : b;
    OperatorProcess standby = leader == a ? b : a;
    assertThat(standby.readiness().get("leader-election").path("data").path("leader").asBoolean())
        .isFalse();
    assertThat(standby.metrics()).contains("donation_operator_leader 0.0");
    assertThat(leader.metrics()).contains("donation_operator_leader 1.0");

    // A campaign, and the leader killed as soon as its database exists but before the campaign is
    // Ready.
    CharityCampaign campaign =
        CampaignFixtures.campaign(CAMPAIGNS, "phone-in", "phone-in.example.org");
    client.resource(campaign).serverSideApply();
    campaign = CampaignFixtures.get(client, CAMPAIGNS, "phone-in");
    String dbIdentifier = CampaignNames.databaseIdentifier(campaign);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                cluster.rds().describeDBInstances().dbInstances().stream()
                    .anyMatch(db -> db.dbInstanceIdentifier().equals(dbIdentifier)));
    assertThat(CampaignFixtures.get(client, CAMPAIGNS, "phone-in").getStatus().phase)
        .as("the leader is killed mid-provisioning")
        .isNotEqualTo(Phase.Ready);
    Instant killed = Instant.now();
    leader.kill();

    // The standby takes the Lease once the dead leader's lease has run out, and finishes the
    // campaign.
    await()
        .atMost(LEASE_DURATION.plus(Duration.ofSeconds(30)))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> standby.identity().equals(leaseHolder()));
    Duration takeover = Duration.between(killed, Instant.now());
    System.out.printf(
        "failover: %s took over %.1f s after %s was killed (lease %d s)%n",
        standby.identity(),
        takeover.toMillis() / 1000.0,
        leader.identity(),
        LEASE_DURATION.toSeconds());
    // fabric8 retries every retryPeriod x (1 + 1.2 x random): up to 2.2 retry periods after the
    // lease ends.
    assertThat(takeover)
        .as("takeover within the lease time and one jittered retry period")
        .isLessThanOrEqualTo(
            LEASE_DURATION
                .plus(RETRY_PERIOD.multipliedBy(22).dividedBy(10))
                .plus(Duration.ofSeconds(3)));
    CampaignFixtures.awaitPhase(client, CAMPAIGNS, "phone-in", Phase.Ready);
    SecretScan secrets = new SecretScan();
    client
        .secrets()
        .inNamespace(CAMPAIGNS)
        .withLabel(CampaignLabels.MANAGED_BY, CampaignLabels.OPERATOR)
        .list()
        .getItems()
        .forEach(secrets::add);
    assertThat(standby.readiness().get("leader-election").path("data").path("leader").asBoolean())
        .isTrue();
    assertThat(standby.metrics()).contains("donation_operator_leader 1.0");

    // Never two reconcilers: the standby's first write comes after the leader's last, and after the
    // kill.
    // Not counted: the election itself (the Lease) and JOSDK's start-up check of its own
    // permissions.
    List<AuditLog.Request> writes =
        audit.since(mark).stream()
            .filter(r -> r.write() && r.code() < 400)
            .filter(
                r ->
                    !r.resource().equals("leases")
                        && !r.resource().equals("selfsubjectrulesreviews"))
            .filter(
                r -> r.user().equals("system:serviceaccount:" + NAMESPACE + ":" + SERVICE_ACCOUNT))
            .toList();
    List<AuditLog.Request> byLeader =
        writes.stream().filter(r -> r.credentialId().equals(leader.credentialId())).toList();
    List<AuditLog.Request> byStandby =
        writes.stream().filter(r -> r.credentialId().equals(standby.credentialId())).toList();
    assertThat(byLeader).as("the first leader provisioned part of the campaign").isNotEmpty();
    assertThat(byStandby).as("the new leader finished it").isNotEmpty();
    Instant lastByLeader =
        byLeader.stream()
            .map(AuditLog.Request::received)
            .max(Comparator.naturalOrder())
            .orElseThrow();
    Instant firstByStandby =
        byStandby.stream()
            .map(AuditLog.Request::received)
            .min(Comparator.naturalOrder())
            .orElseThrow();
    System.out.printf(
        "failover: %d writes by the first leader, %d by the second; the second's first write %.1f s after the kill%n",
        byLeader.size(),
        byStandby.size(),
        Duration.between(killed, firstByStandby).toMillis() / 1000.0);
    assertThat(firstByStandby).isAfter(lastByLeader).isAfter(killed);

    // Adopted, not duplicated: one file system and one access point under the campaign's tokens.
    var efs = cluster.efs();
    var fileSystems =
        efs.describeFileSystems(
                r -> r.creationToken(CampaignNames.fileSystemToken(campaign(CAMPAIGNS))))
            .fileSystems();
    assertThat(fileSystems).hasSize(1);
    assertThat(
            efs.describeAccessPoints(r -> r.fileSystemId(fileSystems.get(0).fileSystemId()))
                .accessPoints())
        .hasSize(1);

    // The new leader deletes it too, with nothing but the chart's RBAC.
    client.resource(CampaignFixtures.get(client, CAMPAIGNS, "phone-in")).delete();
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> CampaignFixtures.get(client, CAMPAIGNS, "phone-in") == null);

    // A clean stop (a rolling update) hands the Lease back: a new standby takes over well before
    // the
    // lease would have run out.
    c = OperatorProcess.start(cluster, "replica-c", NAMESPACE, SERVICE_ACCOUNT, chartSettings);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(
                        c.readiness().get("leader-election").path("data").path("holder").asText())
                    .isEqualTo(standby.identity()));
    Instant stopped = Instant.now();
    standby.close();
    await()
        .atMost(LEASE_DURATION)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> c.identity().equals(leaseHolder()));
    Duration handover = Duration.between(stopped, Instant.now());
    System.out.printf(
        "failover: %s took over %.1f s after %s stopped cleanly%n",
        c.identity(), handover.toMillis() / 1000.0, standby.identity());
    assertThat(handover)
        .as("handover on a clean stop, without waiting for the lease")
        .isLessThan(LEASE_DURATION.minus(Duration.ofSeconds(5)));

    // The replicas' logs, in the chart's JSON: the campaign's generated secrets nowhere, and its
    // reconciles' lines naming it, the reconcile and the dependent.
    assertThat(secrets.count(DatabaseSecret.PASSWORD))
        .as("the database and admin passwords")
        .isEqualTo(2);
    List<JsonLog.Line> lines = new java.util.ArrayList<>();
    for (OperatorProcess replica : List.of(a, b, c)) {
      assertThat(secrets.findIn(replica.logFile().toString(), replica.log())).isEmpty();
      lines.addAll(JsonLog.parse(replica.log()));
    }
    assertThat(ReconcileLogCheck.problems(lines)).isEmpty();
    assertThat(lines)
        .anySatisfy(
            l -> {
              assertThat(l.logger()).isEqualTo(RdsDatabase.class.getName());
              assertThat(l.mdc(CampaignLogContext.NAME)).contains("phone-in");
              assertThat(l.mdc(CampaignLogContext.DEPENDENT)).contains(RdsDatabase.NAME);
              assertThat(l.mdc(CampaignLogContext.RECONCILE_ID)).isPresent();
            });
  }

  private static CharityCampaign campaign(String namespace) {
    return CampaignFixtures.get(client, namespace, "phone-in");
  }

  private static String leaseHolder() {
    return Optional.ofNullable(
            client.resources(Lease.class).inNamespace(NAMESPACE).withName(LEASE).get())
        .map(l -> Optional.ofNullable(l.getSpec().getHolderIdentity()).orElse(""))
        .orElse("");
  }
}
