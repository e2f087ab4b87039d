package dev.donations.operator.campaign.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.TestCampaigns;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FallbackDependentsTest {

  final CharityCampaign campaign = TestCampaigns.campaign();
  final ResolvedCampaign resolved = TestCampaigns.resolved(campaign);

  @Test
  void thePageEscapesWhatCampaignOwnersWrite() {
    campaign.getSpec().fallback.title = "<script>alert('x')</script> & more";
    String html = FallbackPage.render(campaign.getSpec().fallback);
    assertThat(html)
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more")
        .doesNotContain("<script>");
  }

  @Test
  void theConfigMapHoldsThePageAndTheNginxConfig() {
    var cm = new FallbackPageConfigMap().desired(resolved, null);
    assertThat(cm.getData().get("index.html")).isEqualTo(resolved.fallback().html());
    assertThat(cm.getData().get("default.conf"))
        .contains("listen 8080", "return 503", "Retry-After", "location = /healthz");
  }

  @Test
  void theBackendRunsTwoReadOnlyPodsAndRollsWhenThePageChanges() {
    var d = new FallbackDeployment().desired(resolved, null);
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getImage()).isEqualTo(TestCampaigns.DEFAULTS.nginxImage());
    String before =
        d.getSpec().getTemplate().getMetadata().getAnnotations().get("donations.dev/page-sha256");
    campaign.getSpec().fallback.message = "Call us instead";
    var changed = new FallbackDeployment().desired(TestCampaigns.resolved(campaign), null);
    assertThat(
            changed
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get("donations.dev/page-sha256"))
        .isNotEqualTo(before);
  }

  @Test
  void aStoppingFallbackPodServesUntilTheProxiesHaveDroppedItThenNginxFinishesItsRequests() {
    var pod = new FallbackDeployment().desired(resolved, null).getSpec().getTemplate().getSpec();
    var preStop = pod.getContainers().get(0).getLifecycle().getPreStop();
    assertThat(preStop.getSleep().getSeconds()).isEqualTo(5L);
    assertThat(pod.getTerminationGracePeriodSeconds())
        .as("the pause and nginx's graceful stop on SIGQUIT")
        .isEqualTo(15L);
  }

  @Test
  void fallbackPodsMeetPodSecurityRestricted() {
    var pod = new FallbackDeployment().desired(resolved, null).getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var container = pod.getContainers().get(0);
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getLifecycle().getPreStop().getExec())
        .as("the pause needs no shell in the image")
        .isNull();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void theTwoFallbackPodsGoToTwoNodesWhenThereAreTwoYetStillRunOnOne() {
    var pod = new FallbackDeployment().desired(resolved, null).getSpec().getTemplate().getSpec();
    var podLabels =
        new FallbackDeployment()
            .desired(resolved, null)
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getLabels();
    assertThat(pod.getTopologySpreadConstraints())
        .filteredOn(t -> t.getTopologyKey().equals("kubernetes.io/hostname"))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getWhenUnsatisfiable())
                  .as("a rule the scheduler keeps, not a wish")
                  .isEqualTo("DoNotSchedule");
              assertThat(t.getMaxSkew()).isEqualTo(1);
              assertThat(t.getNodeAffinityPolicy())
                  .as("nodes the namespace cannot use are not places to spread over")
                  .isEqualTo("Honor");
              assertThat(t.getNodeTaintsPolicy())
                  .as("nor are cordoned or unreachable nodes, so a drain never strands a pod")
                  .isEqualTo("Honor");
              assertThat(podLabels).containsAllEntriesOf(t.getLabelSelector().getMatchLabels());
            });
    assertThat(pod.getTopologySpreadConstraints())
        .filteredOn(t -> t.getTopologyKey().equals("topology.kubernetes.io/zone"))
        .singleElement()
        .satisfies(t -> assertThat(t.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway"));
  }

  @Test
  void fallbackPodsPreferNodesWithoutTheCampaignsSitePods() {
    var pod = new FallbackDeployment().desired(resolved, null).getSpec().getTemplate().getSpec();
    var sitePodLabels = CampaignLabels.of(campaign, CampaignLabels.COMPONENT_SITE);
    assertThat(
            pod.getAffinity()
                .getPodAntiAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution())
        .as("a preference only: a one-node cluster has no such node")
        .isNullOrEmpty();
    assertThat(
            pod.getAffinity()
                .getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getWeight()).isEqualTo(100);
              assertThat(p.getPodAffinityTerm().getTopologyKey())
                  .isEqualTo("kubernetes.io/hostname");
              assertThat(sitePodLabels)
                  .containsAllEntriesOf(p.getPodAffinityTerm().getLabelSelector().getMatchLabels());
              assertThat(p.getPodAffinityTerm().getLabelSelector().getMatchLabels())
                  .containsEntry("app.kubernetes.io/instance", "song-request");
            });
  }

  @Test
  void fallbackPodsOnALostNodeAreReplacedAfterThirtySecondsNotFiveMinutes() {
    var pod = new FallbackDeployment().desired(resolved, null).getSpec().getTemplate().getSpec();
    assertThat(pod.getTolerations())
        .hasSize(2)
        .allSatisfy(
            t -> {
              assertThat(t.getKey())
                  .isIn("node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready");
              assertThat(t.getEffect())
                  .as("the NoSchedule taints still keep new pods off the node")
                  .isEqualTo("NoExecute");
              assertThat(t.getTolerationSeconds()).isEqualTo(30L);
            })
        .extracting(t -> t.getKey())
        .doesNotHaveDuplicates();
  }

  @Test
  void aNodeDrainTakesAtMostOneFallbackPod() {
    var pdb = new FallbackDisruptionBudget().desired(resolved, null);
    var d = new FallbackDeployment().desired(resolved, null);
    assertThat(pdb.getMetadata().getName()).isEqualTo("song-request-fallback");
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getMinAvailable()).isNull();
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    assertThat(pdb.getSpec().getSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/component", "fallback");
  }

  @Test
  void theBucketPolicyMakesOnlyThePagePublic() {
    String policy = StaticPageBucket.publicPagePolicy("donations-abc");
    assertThat(policy)
        .contains(
            "\"Resource\":\"arn:aws:s3:::donations-abc/index.html\"", "\"Action\":\"s3:GetObject\"")
        .doesNotContain("/*");
  }

  @Test
  void websiteUrlsFollowTheRegionsEndpointStyle() {
    assertThat(FallbackWebsite.url("b", "eu-west-1", Optional.empty()))
        .isEqualTo("http://b.s3-website-eu-west-1.amazonaws.com/");
    assertThat(FallbackWebsite.url("b", "eu-central-1", Optional.empty()))
        .isEqualTo("http://b.s3-website.eu-central-1.amazonaws.com/");
    assertThat(
            FallbackWebsite.url(
                "b", "eu-west-1", Optional.of(URI.create("http://127.0.0.1:5000/"))))
        .isEqualTo("http://127.0.0.1:5000/b/index.html");
  }
}
