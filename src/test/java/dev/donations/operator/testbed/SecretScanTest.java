package dev.donations.operator.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.campaign.database.Passwords;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The scan that RunLogScanIT runs over a whole run, shown to find what it looks for. */
class SecretScanTest {

  private static final String PASSWORD = Passwords.generate();
  private static final String SALT = Passwords.generate(64);

  private static SecretScan scanOfOneCampaign() {
    SecretScan scan = new SecretScan();
    scan.add(
        secret(
            "song-request-db",
            "password",
            PASSWORD,
            "host",
            "db.example.org",
            "username",
            "wpadmin"));
    scan.add(secret("song-request-wp-salts", "AUTH_KEY", SALT));
    return scan;
  }

  @Test
  void aPasswordPlantedInAJsonLogLineIsFound() {
    String log =
        """
        {"timestamp":"2026-12-01T12:00:00Z","loggerName":"dev.donations.operator.campaign.database.RdsDatabase","level":"INFO","message":"created RDS instance dc-radio for radio/song-request","mdc":{"resource.name":"song-request"}}
        {"timestamp":"2026-12-01T12:00:01Z","loggerName":"dev.donations.operator.campaign.database.RdsDatabase","level":"INFO","message":"gave RDS instance dc-radio the password %s","mdc":{}}
        """
            .formatted(PASSWORD);
    assertThat(scanOfOneCampaign().findIn("the log", log))
        .containsExactly("radio/song-request-db password (as it is) in the log");
  }

  @Test
  void aSaltInBase64InAnEventOrAStatusIsFound() {
    String encoded = Base64.getEncoder().encodeToString(SALT.getBytes(StandardCharsets.UTF_8));
    SecretScan scan = scanOfOneCampaign();
    assertThat(
            scan.findIn(
                "Event radio/song-request.1",
                "{\"message\":\"SiteReady is False: data " + encoded + "\"}"))
        .containsExactly(
            "radio/song-request-wp-salts AUTH_KEY (base64) in Event radio/song-request.1");
    assertThat(scan.findIn("status", "{\"conditions\":[{\"message\":\"" + SALT + "\"}]}"))
        .hasSize(1);
  }

  @Test
  void cleanTextAndTheSecretsPlainFieldsFindNothing() {
    SecretScan scan = scanOfOneCampaign();
    assertThat(scan.size())
        .as("the password and the salt; not the host or the user name")
        .isEqualTo(2);
    assertThat(scan.count("password")).isEqualTo(1);
    assertThat(
            scan.findIn(
                "the log",
                "created RDS instance for radio/song-request at db.example.org as wpadmin"))
        .isEmpty();
    assertThat(scan.findIn("the log", PASSWORD.substring(0, 31)))
        .as("a part is not the secret")
        .isEmpty();
  }

  @Test
  void aValueTooShortToBeGeneratedIsNotLookedFor() {
    SecretScan scan = new SecretScan();
    scan.add(secret("x", "password", "short"));
    assertThat(scan.size()).isZero();
    assertThat(scan.findIn("the log", "a short password")).isEmpty();
  }

  private static Secret secret(String name, String... keysAndValues) {
    SecretBuilder b =
        new SecretBuilder().withNewMetadata().withNamespace("radio").withName(name).endMetadata();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      b.addToData(
          keysAndValues[i],
          Base64.getEncoder()
              .encodeToString(keysAndValues[i + 1].getBytes(StandardCharsets.UTF_8)));
    }
    return b.build();
  }
}
