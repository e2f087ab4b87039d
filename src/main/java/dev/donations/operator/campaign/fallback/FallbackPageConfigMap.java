package dev.donations.operator.campaign.fallback;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.campaign.ResolvedCampaign;
import dev.donations.operator.campaign.route.FallbackResponsePolicy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.LinkedHashMap;
import java.util.Map;

/** The fallback page and the nginx configuration that serves it. */
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            name = FallbackPageConfigMap.NAME,
            labelSelector = CampaignLabels.FALLBACK_SELECTOR))
public class FallbackPageConfigMap extends CampaignDependent<ConfigMap> {

  public static final String NAME = "fallback-page";
  public static final String PAGE_KEY = "index.html";
  public static final String NGINX_KEY = "default.conf";

  public FallbackPageConfigMap() {
    super(ConfigMap.class, CampaignLabels.COMPONENT_FALLBACK);
  }

  @Override
  protected String name(CharityCampaign campaign) {
    return CampaignNames.fallback(campaign);
  }

  @Override
  protected ConfigMap desired(ResolvedCampaign campaign, Context<CharityCampaign> context) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(PAGE_KEY, campaign.fallback().html());
    data.put(NGINX_KEY, FallbackNginxConfig.render());
    if (campaign.site().routing().provider()
        == dev.donations.operator.api.v1alpha1.RouteProvider.EnvoyGateway) {
      data.put(
          FallbackResponsePolicy.BODY_KEY, FallbackResponsePolicy.body(campaign.fallback().html()));
    }
    return new ConfigMapBuilder()
        .withMetadata(metadata(campaign.campaign()))
        .withData(data)
        .build();
  }
}
