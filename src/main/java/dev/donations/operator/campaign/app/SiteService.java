package dev.donations.operator.campaign.app;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.campaign.ResolvedCampaign;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** ClusterIP Service in front of the WordPress pods, port 80 to the pods' http port. */
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            name = SiteService.NAME,
            labelSelector = CampaignLabels.SITE_SELECTOR))
public class SiteService extends CampaignDependent<Service> {

  public static final String NAME = "site-service";
  public static final int PORT = 80;

  public SiteService() {
    super(Service.class, CampaignLabels.COMPONENT_SITE);
  }

  @Override
  protected String name(CharityCampaign campaign) {
    return CampaignNames.site(campaign);
  }

  @Override
  protected Service desired(ResolvedCampaign campaign, Context<CharityCampaign> context) {
    CharityCampaign c = campaign.campaign();
    return new ServiceBuilder()
        .withMetadata(metadata(c))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(CampaignLabels.selector(c, CampaignLabels.COMPONENT_SITE))
        .addNewPort()
        .withName("http")
        .withPort(PORT)
        .withTargetPort(new IntOrString("http"))
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }
}
