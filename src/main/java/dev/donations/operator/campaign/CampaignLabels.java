package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The standard app.kubernetes.io labels that every object of a campaign carries, and the operator's
 * own donations.dev label, annotation and AWS tag keys.
 */
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

  /**
   * A ConfigMap with a custom fallback page must carry this label, so the operator can watch it.
   */
  public static final String FALLBACK_PAGE_LABEL = "donations.dev/fallback-page";

  /** Selects the pods of one image's pre-pull DaemonSet: a short hash of the image. */
  public static final String PREPULL_LABEL = "donations.dev/prepull";

  /** The image a pre-pull DaemonSet pulls, read back to know which images are warm. */
  public static final String PREPULL_IMAGE_ANNOTATION = "donations.dev/image";

  /** On the site's pod template: the worker limit, so a change rolls the pods. */
  public static final String WORKERS_ANNOTATION = "donations.dev/workers-per-pod";

  /** On the fallback's pod template: the page's SHA-256, so a new page rolls the pods. */
  public static final String PAGE_HASH_ANNOTATION = "donations.dev/page-sha256";

  /**
   * On the copy of the credentials kept with a retained instance or a final snapshot: which one.
   */
  public static final String CREDENTIALS_OF_ANNOTATION = "donations.dev/credentials-of";

  public static final String COMPONENT_SITE = "site";
  public static final String COMPONENT_FALLBACK = "fallback";
  public static final String COMPONENT_DATABASE = "database";
  public static final String COMPONENT_STORAGE = "storage";
  public static final String COMPONENT_INGRESS = "ingress";
  public static final String COMPONENT_HEADROOM = "headroom";
  public static final String COMPONENT_CREDENTIALS = "credentials";

  /**
   * Informer label selectors, one per component: constants, so dependents' annotations can name
   * them.
   */
  public static final String SITE_SELECTOR =
      MANAGED_SELECTOR + "," + COMPONENT + "=" + COMPONENT_SITE;

  public static final String FALLBACK_SELECTOR =
      MANAGED_SELECTOR + "," + COMPONENT + "=" + COMPONENT_FALLBACK;
  public static final String DATABASE_SELECTOR =
      MANAGED_SELECTOR + "," + COMPONENT + "=" + COMPONENT_DATABASE;
  public static final String STORAGE_SELECTOR =
      MANAGED_SELECTOR + "," + COMPONENT + "=" + COMPONENT_STORAGE;
  public static final String INGRESS_SELECTOR =
      MANAGED_SELECTOR + "," + COMPONENT + "=" + COMPONENT_INGRESS;
  public static final String HEADROOM_SELECTOR =
      MANAGED_SELECTOR + "," + COMPONENT + "=" + COMPONENT_HEADROOM;

  /** AWS tag naming the campaign a resource belongs to. */
  public static final String CAMPAIGN_TAG = "donations.dev/campaign";

  /** AWS tag with the campaign's UID, on its RDS instance. */
  public static final String UID_TAG = "donations.dev/uid";

  /** AWS tag on an RDS instance: the UID of the Secret whose password it was created with. */
  public static final String CREDENTIALS_SECRET_UID_TAG = "donations.dev/credentials-secret-uid";

  private CampaignLabels() {}

  /**
   * The tags every AWS resource of a campaign carries, as its Kubernetes objects carry labels:
   * which campaign, and that the operator manages it (the IAM policy's conditions name this tag).
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
    labels.put(
        NAME,
        switch (component) {
          case COMPONENT_FALLBACK -> "nginx";
          case COMPONENT_HEADROOM -> "pause";
          default -> "wordpress";
        });
    labels.put(INSTANCE, c.getMetadata().getName());
    labels.put(COMPONENT, component);
    return labels;
  }
}
