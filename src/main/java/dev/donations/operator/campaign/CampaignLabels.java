package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import java.util.LinkedHashMap;
import java.util.Map;

/** The standard app.kubernetes.io labels that every object of a campaign carries. */
public final class CampaignLabels {

  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String OPERATOR = "donation-operator";
  public static final String PRODUCT = "charity-campaign";

  /** Informers of the operator select only what it manages. */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;

  /** A ConfigMap with a custom fallback page must carry this label, so the operator can watch it. */
  public static final String FALLBACK_PAGE_LABEL = "donations.dev/fallback-page";

  public static final String COMPONENT_SITE = "site";
  public static final String COMPONENT_FALLBACK = "fallback";
  public static final String COMPONENT_DATABASE = "database";
  public static final String COMPONENT_STORAGE = "storage";
  public static final String COMPONENT_INGRESS = "ingress";
  public static final String COMPONENT_HEADROOM = "headroom";

  /** Informer label selectors, one per component: constants, so dependents' annotations can name them. */
  public static final String SITE_SELECTOR = MANAGED_SELECTOR + "," + COMPONENT + "=" + COMPONENT_SITE;
  public static final String FALLBACK_SELECTOR = MANAGED_SELECTOR + "," + COMPONENT + "=" + COMPONENT_FALLBACK;
  public static final String DATABASE_SELECTOR = MANAGED_SELECTOR + "," + COMPONENT + "=" + COMPONENT_DATABASE;
  public static final String STORAGE_SELECTOR = MANAGED_SELECTOR + "," + COMPONENT + "=" + COMPONENT_STORAGE;
  public static final String INGRESS_SELECTOR = MANAGED_SELECTOR + "," + COMPONENT + "=" + COMPONENT_INGRESS;
  public static final String HEADROOM_SELECTOR = MANAGED_SELECTOR + "," + COMPONENT + "=" + COMPONENT_HEADROOM;

  private CampaignLabels() {}

  /** AWS tag naming the campaign a resource belongs to. */
  public static final String CAMPAIGN_TAG = "donations.dev/campaign";

  /**
   * The tags every AWS resource of a campaign carries, as its Kubernetes objects carry labels: which
   * campaign, and that the operator manages it (the IAM policy's conditions name this tag).
   */
  public static Map<String, String> awsTags(CharityCampaign c) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(CAMPAIGN_TAG, CampaignStatusFacts.key(c));
    tags.put(MANAGED_BY, OPERATOR);
    return tags;
  }

  /** All labels of an object of the given component. */
  public static Map<String, String> of(CharityCampaign c, String component) {
    Map<String, String> labels = new LinkedHashMap<>(selector(c, component));
    labels.put(PART_OF, PRODUCT);
    labels.put(MANAGED_BY, OPERATOR);
    return labels;
  }

  /** The stable subset that pod selectors use; never changes for an existing campaign. */
  public static Map<String, String> selector(CharityCampaign c, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, switch (component) {
      case COMPONENT_FALLBACK -> "nginx";
      case COMPONENT_HEADROOM -> "pause";
      default -> "wordpress";
    });
    labels.put(INSTANCE, c.getMetadata().getName());
    labels.put(COMPONENT, component);
    return labels;
  }
}
