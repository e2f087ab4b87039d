package dev.donations.operator.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The API server's audit log, which the test bed writes for every create, update, patch and delete:
 * the ground truth for "the operator wrote nothing".
 */
public final class AuditLog {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  public AuditLog(Path file) {
    this.file = file;
  }

  /** Current end of the log; pass it to {@link #writesSince}. */
  public long mark() {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes by a user since the mark, as "verb resource[/subresource] [namespace/]name". */
  public List<String> writesSince(long mark, String user) {
    List<String> writes = new ArrayList<>();
    try {
      byte[] bytes = Files.readAllBytes(file);
      String text = new String(bytes, (int) Math.min(mark, bytes.length), (int) Math.max(0, bytes.length - mark), java.nio.charset.StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode e = JSON.readTree(line);
        String who = e.has("impersonatedUser") ? e.path("impersonatedUser").path("username").asText() : e.path("user").path("username").asText();
        if (!user.equals(who)) {
          continue;
        }
        JsonNode ref = e.path("objectRef");
        String resource = ref.path("resource").asText() + (ref.hasNonNull("subresource") ? "/" + ref.path("subresource").asText() : "");
        String ns = ref.hasNonNull("namespace") ? ref.path("namespace").asText() + "/" : "";
        writes.add(e.path("verb").asText() + " " + resource + " " + ns + ref.path("name").asText(""));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return writes;
  }
}
