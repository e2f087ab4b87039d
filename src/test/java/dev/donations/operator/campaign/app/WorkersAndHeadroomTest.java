package dev.donations.operator.campaign.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.ImagesSpec.SiteFlavour;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.TestCampaigns;
import org.junit.jupiter.api.Test;

class WorkersAndHeadroomTest {

  @Test
  void theWorkerLimitIsSetWhereEachWebServerReadsIt() {
    assertThat(SiteConfig.render(SiteFlavour.apache, 12))
        .contains("MaxRequestWorkers 12", "ServerLimit 12");
    assertThat(SiteConfig.render(SiteFlavour.phpFpm, 12))
        .contains("pm = static", "pm.max_children = 12");
    assertThat(SiteConfig.mountPath(SiteFlavour.apache)).startsWith("/etc/apache2/conf-enabled/");
    assertThat(SiteConfig.mountPath(SiteFlavour.phpFpm)).startsWith("/usr/local/etc/php-fpm.d/");
  }

  @Test
  void siteMountsTheWorkerConfigAndRollsWhenItChanges() {
    CharityCampaign c = TestCampaigns.campaign();
    c.getSpec().scaling.workersPerPod = 16;
    ResolvedCampaign r = TestCampaigns.resolved(c);
    var pod = SiteDeployment.build(r).getSpec().getTemplate();
    assertThat(pod.getMetadata().getAnnotations())
        .containsEntry(CampaignLabels.WORKERS_ANNOTATION, "16");
    assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getSubPath()).isEqualTo(SiteConfig.KEY);
              assertThat(m.getMountPath()).isEqualTo(SiteConfig.mountPath(SiteFlavour.apache));
            });
    assertThat(new SiteConfig().desired(r, null).getData().get(SiteConfig.KEY))
        .contains("MaxRequestWorkers 16");
  }

  @Test
  void headroomPodsRequestWhatASitePodRequestsAtNegativePriority() {
    CharityCampaign c = TestCampaigns.campaign();
    c.getSpec().scaling.headroomReplicas = 2;
    ResolvedCampaign r = TestCampaigns.resolved(c);
    var headroom = new HeadroomDeployment().desired(r, null);
    var site = SiteDeployment.build(r);
    assertThat(headroom.getSpec().getReplicas()).isEqualTo(2);
    assertThat(headroom.getSpec().getTemplate().getSpec().getPriorityClassName())
        .isEqualTo(HeadroomPriorityClass.NAME);
    assertThat(headroom.getSpec().getTemplate().getSpec().getContainers().get(0).getResources())
        .isEqualTo(site.getSpec().getTemplate().getSpec().getContainers().get(0).getResources());
    assertThat(HeadroomPriorityClass.desired().getValue()).isNegative();
    assertThat(HeadroomPriorityClass.desired().getPreemptionPolicy()).isEqualTo("Never");
  }

  @Test
  void aLeaderRewritesThePriorityClassOnlyWhenItIsMissingOrDifferent() {
    var existing = HeadroomPriorityClass.desired();
    existing.getMetadata().setResourceVersion("7");
    existing.getMetadata().getLabels().put("added-by", "someone-else");
    existing.setGlobalDefault(null); // as the API server returns it
    assertThat(HeadroomPriorityClass.matches(existing)).isTrue();
    assertThat(HeadroomPriorityClass.matches(null)).isFalse();
    existing.setDescription("changed by hand");
    assertThat(HeadroomPriorityClass.matches(existing)).isFalse();
  }
}
