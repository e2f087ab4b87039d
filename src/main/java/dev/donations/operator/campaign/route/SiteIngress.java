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

  /**
   * ingress-nginx's retry of a request that did not reach a pod (a pod that just went, or one on a
   * node that died and still has its endpoint until the node controller notices, about 40 to 50 s):
   * a connection to a pod in the cluster that takes more than 2 s will not succeed (ingress-nginx's
   * default is 5 s), the next endpoint is tried, 3 tries in at most 6 s, and then the fallback page
   * answers. A donor's browser waits seconds, not the 15 s of three default connect time-outs.
   * nginx passes a POST to the next endpoint only when it was not sent (a connection error), so no
   * donation is sent twice; a donation carries its idempotency key anyway.
   */
  public static final Map<String, String> RETRIES =
      Map.of(
          "nginx.ingress.kubernetes.io/proxy-connect-timeout", "2",
          "nginx.ingress.kubernetes.io/proxy-next-upstream", "error timeout",
          "nginx.ingress.kubernetes.io/proxy-next-upstream-tries", "3",
          "nginx.ingress.kubernetes.io/proxy-next-upstream-timeout", "6");

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
    new java.util.TreeMap<>(RETRIES).forEach(annotations::put);
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
