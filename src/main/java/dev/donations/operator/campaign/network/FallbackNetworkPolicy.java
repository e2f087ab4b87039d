package dev.donations.operator.campaign.network;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.fallback.FallbackNginxConfig;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * Fallback pods: in from the ingress controller only; no egress at all, a static page needs none.
 */
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            name = FallbackNetworkPolicy.NAME,
            labelSelector = CampaignLabels.FALLBACK_SELECTOR))
public class FallbackNetworkPolicy extends CampaignDependent<NetworkPolicy> {

  public static final String NAME = "fallback-network-policy";

  public FallbackNetworkPolicy() {
    super(NetworkPolicy.class, CampaignLabels.COMPONENT_FALLBACK);
  }

  @Override
  protected String name(CharityCampaign campaign) {
    return CampaignNames.fallback(campaign);
  }

  @Override
  protected NetworkPolicy desired(ResolvedCampaign campaign, Context<CharityCampaign> context) {
    CharityCampaign c = campaign.campaign();
    return new NetworkPolicyBuilder()
        .withMetadata(metadata(c))
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(CampaignLabels.selector(c, CampaignLabels.COMPONENT_FALLBACK))
        .endPodSelector()
        .withPolicyTypes("Ingress", "Egress")
        .withIngress(
            CampaignNetworkPolicies.fromProxies(
                campaign.site().routing(), FallbackNginxConfig.PORT))
        .endSpec()
        .build();
  }
}
