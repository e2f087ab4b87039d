package dev.donations.operator.campaign.database;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.campaign.ResolvedCampaign;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The database connection Secret: host, port, database, username and password. The password is
 * generated once, when the Secret is first created, and then always read back from the live Secret;
 * the create is "only if not existing", so a stale cache can never replace a password in use.
 */
@KubernetesDependent(
    createResourceOnlyIfNotExistingWithSSA = true,
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            name = DatabaseSecret.NAME,
            labelSelector = CampaignLabels.DATABASE_SELECTOR))
public class DatabaseSecret extends CampaignDependent<Secret> {

  public static final String NAME = "database-secret";
  public static final String HOST = "host";
  public static final String PORT = "port";
  public static final String DATABASE = "database";
  public static final String USERNAME = "username";
  public static final String PASSWORD = "password";
  public static final String DATABASE_NAME = "wordpress";
  public static final String MASTER_USERNAME = "wpadmin";

  public DatabaseSecret() {
    super(Secret.class, CampaignLabels.COMPONENT_DATABASE);
  }

  @Override
  protected String name(CharityCampaign campaign) {
    return CampaignNames.databaseSecret(campaign);
  }

  @Override
  protected Secret desired(ResolvedCampaign campaign, Context<CharityCampaign> context) {
    CharityCampaign primary = campaign.campaign();
    String password =
        getSecondaryResource(primary, context)
            .map(s -> s.getData() == null ? null : s.getData().get(PASSWORD))
            .orElseGet(() -> encode(Passwords.generate()));
    Optional<DatabaseInstance> db = context.getSecondaryResource(DatabaseInstance.class);
    Map<String, String> data = new LinkedHashMap<>();
    data.put(DATABASE, encode(DATABASE_NAME));
    data.put(USERNAME, encode(MASTER_USERNAME));
    data.put(PASSWORD, password);
    db.map(DatabaseInstance::endpoint).ifPresent(h -> data.put(HOST, encode(h)));
    db.map(DatabaseInstance::port).ifPresent(p -> data.put(PORT, encode(String.valueOf(p))));
    return new SecretBuilder()
        .withMetadata(metadata(primary))
        .withType("Opaque")
        .withData(data)
        .build();
  }

  /** The password of a live Secret, decoded. */
  public static Optional<String> password(Secret secret) {
    return Optional.ofNullable(secret.getData())
        .map(d -> d.get(PASSWORD))
        .map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
  }

  static String encode(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
