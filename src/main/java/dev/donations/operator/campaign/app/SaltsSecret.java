package dev.donations.operator.campaign.app;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.campaign.database.Passwords;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * WordPress's eight authentication keys and salts, generated once and never updated: changing them
 * would log every editor out. Create-only, and only if it does not exist yet.
 */
@KubernetesDependent(
    createResourceOnlyIfNotExistingWithSSA = true,
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            name = SaltsSecret.NAME,
            labelSelector = CampaignLabels.SITE_SELECTOR))
public class SaltsSecret extends GeneratedSecret {

  public static final String NAME = "salts-secret";

  /** The Bedrock/WordPress variable names, which are also the Secret's keys. */
  public static final List<String> KEYS =
      List.of(
          "AUTH_KEY",
          "SECURE_AUTH_KEY",
          "LOGGED_IN_KEY",
          "NONCE_KEY",
          "AUTH_SALT",
          "SECURE_AUTH_SALT",
          "LOGGED_IN_SALT",
          "NONCE_SALT");

  @Override
  protected String name(CharityCampaign campaign) {
    return CampaignNames.saltsSecret(campaign);
  }

  @Override
  protected Map<String, String> generate() {
    Map<String, String> data = new LinkedHashMap<>();
    for (String key : KEYS) {
      data.put(key, Passwords.generate(64));
    }
    return data;
  }
}
