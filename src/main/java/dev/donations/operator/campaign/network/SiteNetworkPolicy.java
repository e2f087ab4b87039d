package dev.donations.operator.campaign.network;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.campaign.ResolvedCampaign;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * WordPress pods: in from the ingress controller only; out to DNS, the database port and NFS, and
 * HTTPS only to the blocks the class lists (payment providers).
 */
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            name = SiteNetworkPolicy.NAME,
            labelSelector = CampaignLabels.SITE_SELECTOR))
public class SiteNetworkPolicy extends CampaignDependent<NetworkPolicy> {

  public static final String NAME = "site-network-policy";

  public SiteNetworkPolicy() {
    super(NetworkPolicy.class, CampaignLabels.COMPONENT_SITE);
  }

  @Override
  protected String name(CharityCampaign campaign) {
    return CampaignNames.site(campaign);
  }

  @Override
  protected NetworkPolicy desired(ResolvedCampaign campaign, Context<CharityCampaign> context) {
    CharityCampaign c = campaign.campaign();
    var egress =
        new java.util.ArrayList<
            io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule>(
            java.util.List.of(
                CampaignNetworkPolicies.dns(),
                CampaignNetworkPolicies.tcp(CampaignNetworkPolicies.MYSQL_PORT),
                CampaignNetworkPolicies.tcp(CampaignNetworkPolicies.NFS_PORT)));
    if (!campaign.site().httpsEgressCidrs().isEmpty()) {
      egress.add(CampaignNetworkPolicies.https(campaign.site().httpsEgressCidrs()));
    }
    return new NetworkPolicyBuilder()
        .withMetadata(metadata(c))
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(CampaignLabels.selector(c, CampaignLabels.COMPONENT_SITE))
        .endPodSelector()
        .withPolicyTypes("Ingress", "Egress")
        .withIngress(
            CampaignNetworkPolicies.fromIngressController(
                campaign.site().routing().proxyNamespaces(), campaign.site().pods().sitePort()))
        .withEgress(egress)
        .endSpec()
        .build();
  }
}
