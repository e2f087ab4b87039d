package dev.donations.operator.campaign.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
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
