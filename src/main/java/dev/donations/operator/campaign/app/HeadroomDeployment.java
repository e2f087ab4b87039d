package dev.donations.operator.campaign.app;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.campaign.PodSecurity;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.SiteDefaults;
import dev.donations.operator.campaign.UpdateFilters;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/**
 * Warm nodes: placeholder pods that request exactly what a site pod requests, at a negative
 * priority. The cluster autoscaler keeps nodes for them; when the site scales up, the scheduler
 * evicts them and real pods start on those nodes at once. Zero replicas outside peak windows when
 * so configured.
 */
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            onUpdateFilter = UpdateFilters.OwnedFields.class,
            name = HeadroomDeployment.NAME,
            labelSelector = CampaignLabels.HEADROOM_SELECTOR))
public class HeadroomDeployment extends CampaignDependent<Deployment> {

  public static final String NAME = "headroom";

  /** The pause image's user. */
  static final long PAUSE_UID = 65535;

  public HeadroomDeployment() {
    super(Deployment.class, CampaignLabels.COMPONENT_HEADROOM);
  }

  @Override
  protected String name(CharityCampaign campaign) {
    return CampaignNames.headroom(campaign);
  }

  @Override
  protected Deployment desired(ResolvedCampaign campaign, Context<CharityCampaign> context) {
    CharityCampaign c = campaign.campaign();
    SiteDefaults pods = campaign.site().pods();
    Map<String, String> selector = CampaignLabels.selector(c, CampaignLabels.COMPONENT_HEADROOM);
    return new DeploymentBuilder()
        .withMetadata(metadata(c))
        .withNewSpec()
        .withReplicas(campaign.scaling().headroomReplicas())
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(CampaignLabels.of(c, CampaignLabels.COMPONENT_HEADROOM))
        .endMetadata()
        .withNewSpec()
        .withPriorityClassName(HeadroomPriorityClass.NAME)
        .withTerminationGracePeriodSeconds(0L)
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withSecurityContext(PodSecurity.restrictedPod(PAUSE_UID))
        .withTopologySpreadConstraints(PodSecurity.spread(selector))
        .addNewContainer()
        .withName("placeholder")
        .withImage(pods.pauseImage())
        .withNewResources()
        .withRequests(
            Map.of("cpu", new Quantity(pods.cpuRequest()), "memory", new Quantity(pods.memory())))
        .withLimits(Map.of("memory", new Quantity(pods.memory())))
        .endResources()
        .withSecurityContext(PodSecurity.restrictedContainer(true))
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
