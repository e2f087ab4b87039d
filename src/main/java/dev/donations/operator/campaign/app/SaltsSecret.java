package dev.donations.operator.campaign.app;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.database.Passwords;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * WordPress's eight authentication keys and salts, generated once and never updated: changing them would
 * log every editor out. Create-only, and only if it does not exist yet.
 */
@KubernetesDependent(
    createResourceOnlyIfNotExistingWithSSA = true,
    informer = @Informer(name = SaltsSecret.NAME, labelSelector = CampaignLabels.SITE_SELECTOR))
public class SaltsSecret extends KubernetesDependentResource<Secret, CharityCampaign>
    implements Creator<Secret, CharityCampaign>, GarbageCollected<CharityCampaign> {

  public static final String NAME = "salts-secret";
  /** The Bedrock/WordPress variable names, which are also the Secret's keys. */
  public static final List<String> KEYS =
      List.of(
          "AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
          "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT");

  public SaltsSecret() {
    super(Secret.class);
  }

  @Override
  protected Secret desired(CharityCampaign primary, Context<CharityCampaign> context) {
    CampaignDependent.resolved(context);
    Map<String, String> data = new LinkedHashMap<>();
    for (String key : KEYS) {
      data.put(key, Base64.getEncoder().encodeToString(Passwords.generate(64).getBytes(StandardCharsets.UTF_8)));
    }
    return new SecretBuilder()
        .withMetadata(
            CampaignDependent.standardMetadata(primary, CampaignNames.saltsSecret(primary), CampaignLabels.COMPONENT_SITE))
        .withType("Opaque")
        .withData(data)
        .build();
  }

  @Override
  protected ResourceID targetSecondaryResourceID(CharityCampaign primary, Context<CharityCampaign> context) {
    return new ResourceID(CampaignNames.saltsSecret(primary), primary.getMetadata().getNamespace());
  }
}
