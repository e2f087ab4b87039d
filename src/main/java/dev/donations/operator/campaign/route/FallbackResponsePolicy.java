package dev.donations.operator.campaign.route;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.campaign.ResolvedCampaign;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * For Envoy Gateway: a BackendTrafficPolicy on the site's HTTPRoute whose response override answers
 * 500, 502, 503 and 504 ({@link InterceptedStatus}) with the fallback page, read from the fallback
 * ConfigMap's {@code response.body} key (Envoy Gateway reads that key, from a ConfigMap in the
 * policy's namespace), with status 503 as the fallback itself answers.
 */
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            name = FallbackResponsePolicy.NAME,
            labelSelector = CampaignLabels.INGRESS_SELECTOR))
public class FallbackResponsePolicy extends CampaignDependent<BackendTrafficPolicy> {

  public static final String NAME = "fallback-response-policy";

  /** The ConfigMap key Envoy Gateway reads a response body from. */
  public static final String BODY_KEY = "response.body";

  public FallbackResponsePolicy() {
    super(BackendTrafficPolicy.class, CampaignLabels.COMPONENT_INGRESS);
  }

  @Override
  protected String name(CharityCampaign campaign) {
    return CampaignNames.fallback(campaign);
  }

  @Override
  protected BackendTrafficPolicy desired(
      ResolvedCampaign campaign, Context<CharityCampaign> context) {
    return build(campaign);
  }

  static BackendTrafficPolicy build(ResolvedCampaign campaign) {
    CharityCampaign c = campaign.campaign();
    BackendTrafficPolicy policy = new BackendTrafficPolicy();
    policy.setMetadata(
        standardMetadata(c, CampaignNames.fallback(c), CampaignLabels.COMPONENT_INGRESS));
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("group", SiteRoute.GATEWAY_GROUP);
    target.put("kind", "HTTPRoute");
    target.put("name", CampaignNames.ingress(c));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "ValueRef");
    body.put(
        "valueRef", Map.of("group", "", "kind", "ConfigMap", "name", CampaignNames.fallback(c)));
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("contentType", "text/html; charset=utf-8");
    response.put("statusCode", InterceptedStatus.PAGE_STATUS);
    response.put("body", body);
    Map<String, Object> override = new LinkedHashMap<>();
    override.put(
        "match",
        Map.of(
            "statusCodes",
            InterceptedStatus.CODES.stream()
                .map(code -> Map.<String, Object>of("type", "Value", "value", code))
                .toList()));
    override.put("response", response);
    BackendTrafficPolicy.Spec spec = new BackendTrafficPolicy.Spec();
    spec.targetRefs = List.of(target);
    spec.responseOverride = List.of(override);
    policy.setSpec(spec);
    return policy;
  }

  /**
   * The page as Envoy's response body: Envoy reads the body as a format string, so each literal
   * {@code %} (as in CSS's {@code 100%}) is doubled.
   */
  public static String body(String html) {
    return html.replace("%", "%%");
  }
}
