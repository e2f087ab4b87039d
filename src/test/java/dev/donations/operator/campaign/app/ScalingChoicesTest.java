package dev.donations.operator.campaign.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CampaignClass;
import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignResolver;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.TestCampaigns;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScalingChoicesTest {

  @Test
  void withPrometheusTheScaledObjectScalesOnLatencyAndCpuInsideTheRange() {
    CampaignClass cls = TestCampaigns.campaignClass();
    cls.getSpec().autoscaling.prometheusAddress = "http://prometheus.monitoring:9090";
    CharityCampaign c = TestCampaigns.campaign();
    ResolvedCampaign r =
        CampaignResolver.resolve(
                c,
                Optional.of(cls),
                List.of(),
                Optional.empty(),
                TestCampaigns.DEFAULTS,
                TestCampaigns.NOW)
            .resolved()
            .orElseThrow();
    ScaledObject so = SiteScaledObject.build(r);
    assertThat(so.getMetadata().getName()).isEqualTo("song-request-site");
    assertThat(so.getSpec().minReplicaCount).isEqualTo(2);
    assertThat(so.getSpec().maxReplicaCount).isEqualTo(10);
    assertThat(so.getSpec().fallback).containsEntry("replicas", 5);
    assertThat(so.getSpec().triggers)
        .extracting(t -> t.get("type"))
        .containsExactly("prometheus", "cpu");
    @SuppressWarnings("unchecked")
    Map<String, String> metadata =
        (Map<String, String>) so.getSpec().triggers.get(0).get("metadata");
    assertThat(metadata.get("query"))
        .contains("namespace=\"radio\"", "service=\"song-request-site\"")
        .doesNotContain("{{");
    assertThat(metadata)
        .containsEntry("serverAddress", "http://prometheus.monitoring:9090")
        .containsEntry("threshold", "0.5");
  }

  @Test
  void withoutPrometheusItScalesOnCpuAlone() {
    ScaledObject so = SiteScaledObject.build(TestCampaigns.resolved(TestCampaigns.campaign()));
    assertThat(so.getSpec().triggers).extracting(t -> t.get("type")).containsExactly("cpu");
  }

  @Test
  void thePrePullDaemonSetPullsTheImageOnEveryNodeAndIsNamedAfterIt() {
    var ds =
        ImagePrePuller.desired(
            "donation-operator", "registry.example/bedrock:9", "registry.k8s.io/pause:3.10");
    assertThat(ds.getMetadata().getName())
        .isEqualTo(ImagePrePuller.name("registry.example/bedrock:9"))
        .startsWith("prepull-");
    assertThat(ds.getMetadata().getAnnotations())
        .containsEntry("donations.dev/image", "registry.example/bedrock:9");
    var pod = ds.getSpec().getTemplate().getSpec();
    assertThat(pod.getInitContainers().get(0).getImage()).isEqualTo("registry.example/bedrock:9");
    assertThat(pod.getTolerations())
        .anySatisfy(t -> assertThat(t.getOperator()).isEqualTo("Exists"));
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(ImagePrePuller.name("registry.example/bedrock:9"))
        .isNotEqualTo(ImagePrePuller.name("registry.example/bedrock:10"));
  }
}
