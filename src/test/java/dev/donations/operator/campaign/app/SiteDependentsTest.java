package dev.donations.operator.campaign.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.EnvVarSpec;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.TestCampaigns;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

class SiteDependentsTest {

  final CharityCampaign campaign = TestCampaigns.campaign();
  final ResolvedCampaign resolved = TestCampaigns.resolved(campaign);

  @Test
  void theSiteIsConfiguredThroughBedrocksEnvironment() {
    EnvVar extra = new EnvVar("PAYMENT_PROVIDER", "mollie", null);
    EnvVarSpec spec = new EnvVarSpec();
    spec.name = extra.getName();
    spec.value = extra.getValue();
    campaign.getSpec().site.env = List.of(spec);
    Container c =
        SiteDeployment.build(TestCampaigns.resolved(campaign))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(c.getImage()).isEqualTo("registry.example/bedrock:1");
    assertThat(c.getEnv())
        .filteredOn(e -> e.getName().equals("WP_HOME"))
        .extracting(EnvVar::getValue)
        .containsExactly("http://donate.example.org");
    assertThat(c.getEnv())
        .filteredOn(e -> e.getName().equals("WP_SITEURL"))
        .extracting(EnvVar::getValue)
        .containsExactly("http://donate.example.org/wp");
    assertThat(c.getEnv())
        .filteredOn(e -> e.getName().startsWith("DB_"))
        .allSatisfy(
            e ->
                assertThat(e.getValueFrom().getSecretKeyRef().getName())
                    .isEqualTo("song-request-db"));
    assertThat(c.getEnv())
        .filteredOn(e -> SaltsSecret.KEYS.contains(e.getName()))
        .hasSize(8)
        .allSatisfy(
            e ->
                assertThat(e.getValueFrom().getSecretKeyRef().getName())
                    .isEqualTo("song-request-wp-salts"));
    assertThat(c.getEnv()).contains(extra);
  }

  @Test
  void theInstallStepGetsTheTitleAndTheGeneratedAdminAccount() {
    campaign.getSpec().site.title = "Song requests";
    Container c =
        SiteDeployment.build(TestCampaigns.resolved(campaign))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(c.getEnv())
        .filteredOn(e -> e.getName().equals("WP_TITLE"))
        .extracting(EnvVar::getValue)
        .containsExactly("Song requests");
    assertThat(c.getEnv())
        .filteredOn(e -> e.getName().startsWith("WP_ADMIN_") && e.getValueFrom() != null)
        .extracting(
            e ->
                e.getValueFrom().getSecretKeyRef().getName()
                    + "/"
                    + e.getValueFrom().getSecretKeyRef().getKey())
        .containsExactly("song-request-wp-admin/username", "song-request-wp-admin/password");
    campaign.getSpec().site.title = null;
    Container untitled =
        SiteDeployment.build(TestCampaigns.resolved(campaign))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(untitled.getEnv())
        .filteredOn(e -> e.getName().equals("WP_TITLE"))
        .extracting(EnvVar::getValue)
        .containsExactly("song-request");
  }

  @Test
  void probesUseTheImagesHealthEndpointsNotABarePort() {
    Container c =
        SiteDeployment.build(resolved).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getReadinessProbe().getHttpGet().getPath())
        .as("PHP and the database")
        .isEqualTo("/healthz");
    assertThat(c.getLivenessProbe().getHttpGet().getPath())
        .as("PHP alone, so a database outage restarts nothing")
        .isEqualTo("/livez");
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/livez");
    assertThat(c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold())
        .as("time for the install step")
        .isGreaterThanOrEqualTo(120);
  }

  @Test
  void siteUsesHttpsWhenTheCampaignHasATlsSecret() {
    campaign.getSpec().site.tlsSecretName = "donate-tls";
    Container c =
        SiteDeployment.build(TestCampaigns.resolved(campaign))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(c.getEnv())
        .filteredOn(e -> e.getName().equals("WP_HOME"))
        .extracting(EnvVar::getValue)
        .containsExactly("https://donate.example.org");
  }

  @Test
  void podsMeetPodSecurityRestricted() {
    var pod = SiteDeployment.build(resolved).getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var sc = pod.getContainers().get(0).getSecurityContext();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getReadOnlyRootFilesystem())
        .as("the image writes only to /tmp and uploads")
        .isTrue();
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .contains("/tmp");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getTopologySpreadConstraints())
        .extracting(t -> t.getTopologyKey())
        .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");
  }

  @Test
  void aStoppingPodServesUntilTheProxiesHaveDroppedItThenApacheFinishesItsRequests() {
    var pod = SiteDeployment.build(resolved).getSpec().getTemplate().getSpec();
    var preStop = pod.getContainers().get(0).getLifecycle().getPreStop();
    assertThat(preStop.getSleep().getSeconds())
        .as("Kubernetes's sleep action, no binary needed")
        .isEqualTo(5L);
    assertThat(preStop.getExec()).isNull();
    assertThat(pod.getTerminationGracePeriodSeconds())
        .as("the pause, Apache's GracefulShutdownTimeout (25 s) and its exit")
        .isEqualTo(35L)
        .isGreaterThan(preStop.getSleep().getSeconds() + 25);
  }

  @Test
  void sitePodsOnALostNodeAreReplacedAfterThirtySecondsNotFiveMinutes() {
    var pod = SiteDeployment.build(resolved).getSpec().getTemplate().getSpec();
    assertThat(pod.getTolerations())
        .extracting(
            t ->
                t.getKey()
                    + " "
                    + t.getOperator()
                    + " "
                    + t.getEffect()
                    + " "
                    + t.getTolerationSeconds())
        .containsExactlyInAnyOrder(
            "node.kubernetes.io/unreachable Exists NoExecute 30",
            "node.kubernetes.io/not-ready Exists NoExecute 30");
  }

  @Test
  void replicasStayInsideTheRangeWithoutFightingTheAutoscaler() {
    var range = resolved.scaling();
    assertThat(SiteDeployment.build(resolved).getSpec().getReplicas())
        .as("never applied, so never taken from the HPA")
        .isNull();
    assertThat(SiteDeployment.replicas(range, null)).isEqualTo(2);
    assertThat(SiteDeployment.replicas(range, 7)).isEqualTo(7);
    assertThat(SiteDeployment.replicas(range, 1)).isEqualTo(2);
    assertThat(SiteDeployment.replicas(range, 50)).isEqualTo(10);
  }

  @Test
  void theUploadsClaimIsMountedAtBedrocksUploadsPath() {
    Deployment d = SiteDeployment.build(resolved);
    assertThat(d.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getName().equals("uploads"))
        .singleElement()
        .satisfies(
            v ->
                assertThat(v.getPersistentVolumeClaim().getClaimName())
                    .isEqualTo("song-request-uploads"));
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts())
        .filteredOn(m -> m.getName().equals("uploads"))
        .singleElement()
        .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/var/www/html/web/app/uploads"));
  }

  @Test
  void theAutoscalerScalesBetweenMinAndMaxOnCpu() {
    var hpa = new SiteAutoscaler().desired(resolved, null);
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(10);
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("song-request-site");
    assertThat(hpa.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization())
        .isEqualTo(70);
    assertThat(hpa.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds())
        .isEqualTo(300);
  }

  @Test
  void theDisruptionBudgetAndServiceSelectTheSitePods() {
    var pdb = new SiteDisruptionBudget().desired(resolved, null);
    var svc = new SiteService().desired(resolved, null);
    var podLabels =
        SiteDeployment.build(resolved).getSpec().getTemplate().getMetadata().getLabels();
    assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    assertThat(podLabels).containsAllEntriesOf(svc.getSpec().getSelector());
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
  }
}
