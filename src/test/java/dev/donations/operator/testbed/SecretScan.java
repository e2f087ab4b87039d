package dev.donations.operator.testbed;

import dev.donations.operator.campaign.app.SaltsSecret;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Looks for generated secrets in text: every value, as it is and as base64 (how a Secret's data
 * holds it), in every source (a log, an Event, a status). The generated passwords and salts come
 * from an alphabet that JSON does not escape, so a JSON log holds them as they are.
 */
public final class SecretScan {

  /**
   * Keys of the operator's Secrets whose values are generated: the database and admin passwords,
   * the salts.
   */
  public static final Set<String> GENERATED_KEYS = generatedKeys();

  /** Shorter values would be found by chance; the generated ones have 32 or 64 characters. */
  static final int MIN_LENGTH = 16;

  /** The secret values found so far, each with where it came from ("namespace/secret key"). */
  private final Map<String, String> secrets = new TreeMap<>();

  /** Takes the generated values of one of the operator's Secrets. */
  public synchronized void add(Secret secret) {
    if (secret.getData() == null) {
      return;
    }
    secret
        .getData()
        .forEach(
            (key, encoded) -> {
              if (GENERATED_KEYS.contains(key) && encoded != null) {
                String value =
                    new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
                add(
                    value,
                    secret.getMetadata().getNamespace()
                        + "/"
                        + secret.getMetadata().getName()
                        + " "
                        + key);
              }
            });
  }

  public synchronized void add(String value, String origin) {
    if (value.length() >= MIN_LENGTH) {
      secrets.putIfAbsent(value, origin);
    }
  }

  public synchronized int size() {
    return secrets.size();
  }

  /** How many values came from Secret keys of this name. */
  public synchronized long count(String key) {
    return secrets.values().stream().filter(origin -> origin.endsWith(" " + key)).count();
  }

  /** Every secret found in a source, as "origin (form) in source"; empty when none is. */
  public synchronized List<String> findIn(String source, CharSequence text) {
    List<String> found = new ArrayList<>();
    String haystack = text.toString();
    secrets.forEach(
        (value, origin) -> {
          if (haystack.contains(value)) {
            found.add(origin + " (as it is) in " + source);
          }
          if (haystack.contains(base64(value))) {
            found.add(origin + " (base64) in " + source);
          }
        });
    return found;
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static Set<String> generatedKeys() {
    Set<String> keys = new java.util.HashSet<>(SaltsSecret.KEYS);
    keys.add(dev.donations.operator.campaign.database.DatabaseSecret.PASSWORD);
    keys.add(dev.donations.operator.campaign.app.AdminSecret.PASSWORD);
    return Set.copyOf(keys);
  }
}
