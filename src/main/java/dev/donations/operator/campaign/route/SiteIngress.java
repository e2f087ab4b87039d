package dev.donations.operator.campaign.route;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.campaign.ResolvedCampaign;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The site's Ingress for ingress-nginx: the host goes to WordPress, or to the fallback while
 * WordPress has no ready pod (the operator's {@link FallbackSwitch}); 500/502/503/504 from
 * WordPress go to the fallback through ingress-nginx's own annotations. Written while the class's
 * provider is ingress-nginx, or while it keeps the Ingress during a move to a Gateway.
 */
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            name = SiteIngress.NAME,
            labelSelector = CampaignLabels.INGRESS_SELECTOR))
public class SiteIngress extends CampaignDependent<Ingress> {

  public static final String NAME = "site-ingress";
  public static final String DEFAULT_BACKEND = "nginx.ingress.kubernetes.io/default-backend";
  public static final String CUSTOM_HTTP_ERRORS = "nginx.ingress.kubernetes.io/custom-http-errors";
  public static final String INTERCEPTED_ERRORS = InterceptedStatus.commaSeparated();

  public SiteIngress() {
    super(Ingress.class, CampaignLabels.COMPONENT_INGRESS);
  }

  @Override
  protected String name(CharityCampaign campaign) {
    return CampaignNames.ingress(campaign);
  }

  @Override
  protected Ingress desired(ResolvedCampaign campaign, Context<CharityCampaign> context) {
    return build(campaign, RouteTarget.of(context));
  }

  static Ingress build(ResolvedCampaign campaign, RouteTarget target) {
    CharityCampaign c = campaign.campaign();
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(DEFAULT_BACKEND, CampaignNames.fallback(c));
    annotations.put(CUSTOM_HTTP_ERRORS, INTERCEPTED_ERRORS);
    String tls = c.getSpec().site.tlsSecretName;
    var builder =
        new IngressBuilder()
            .withMetadata(
                standardMetadata(c, CampaignNames.ingress(c), CampaignLabels.COMPONENT_INGRESS))
            .editMetadata()
            .withAnnotations(annotations)
            .endMetadata()
            .withNewSpec()
            .withIngressClassName(campaign.site().routing().ingressClassName());
    if (tls != null) {
      builder = builder.addNewTl().withHosts(campaign.site().host()).withSecretName(tls).endTl();
    }
    return builder
        .addNewRule()
        .withHost(campaign.site().host())
        .withNewHttp()
        .addNewPath()
        .withPath("/")
        .withPathType("Prefix")
        .withNewBackend()
        .withNewService()
        .withName(target.service(c))
        .withNewPort()
        .withNumber(target.port())
        .endPort()
        .endService()
        .endBackend()
        .endPath()
        .endHttp()
        .endRule()
        .endSpec()
        .build();
  }
}
