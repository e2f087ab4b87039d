package dev.donations.operator.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The operator's JSON log (quarkus-logging-json, default format): one object a line. */
public final class JsonLog {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One record: who logged it, what, and the MDC. */
  public record Line(
      String logger, String level, String message, String thread, JsonNode mdc, String text) {

    /** An MDC field, when the line has it and it is not empty. */
    public Optional<String> mdc(String key) {
      return Optional.ofNullable(mdc.get(key)).map(JsonNode::asText).filter(s -> !s.isEmpty());
    }

    @Override
    public String toString() {
      return text;
    }
  }

  private JsonLog() {}

  /**
   * The records of a log. Every non-empty line must be a JSON object with a logger name, a level
   * and a message: a line that is not is in a format other than the documented one.
   */
  public static List<Line> parse(String log) {
    List<Line> lines = new ArrayList<>();
    // A log still being written may end in half a line.
    String complete = log.substring(0, log.lastIndexOf('\n') + 1);
    for (String text : complete.split("\n")) {
      if (text.isBlank()) {
        continue;
      }
      try {
        JsonNode node = JSON.readTree(text);
        for (String field : List.of("loggerName", "level", "message")) {
          if (!node.hasNonNull(field)) {
            throw new IllegalStateException("a log line without " + field + ": " + text);
          }
        }
        lines.add(
            new Line(
                node.get("loggerName").asText(),
                node.get("level").asText(),
                node.get("message").asText(),
                node.path("threadName").asText(),
                node.path("mdc"),
                text));
      } catch (IOException e) {
        throw new IllegalStateException("not a JSON log line: " + text, e);
      }
    }
    return lines;
  }
}
