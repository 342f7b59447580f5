package dev.contentgen.server.store;

import dev.contentgen.api.JobEvent;
import dev.contentgen.api.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The text an artifact has so far, read from its deltas in the log: what a crash leaves of a
 * streaming artifact is exactly the deltas that committed. Read per request (GET /api/jobs/{id})
 * and once when an artifact is discarded, never per delta.
 */
final class PartialText {
    private static final String DELTAS =
            "SELECT data FROM job_events WHERE job_id = ? AND seq > ? AND type = 'artifact.delta' ORDER BY seq";

    private PartialText() {}

    /** @param createdSeq the seq of the artifact's created event (0 when unknown: rows from before it was recorded) */
    static String read(Connection c, String jobId, String artifactId, long createdSeq) throws SQLException {
        StringBuilder text = new StringBuilder();
        try (PreparedStatement statement = c.prepareStatement(DELTAS)) {
            statement.setString(1, jobId);
            statement.setLong(2, createdSeq);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    if (Json.readEvent(rs.getString(1)).event() instanceof JobEvent.ArtifactDelta delta
                            && delta.artifactId().equals(artifactId)) {
                        text.append(delta.text());
                    }
                }
            }
        }
        return text.toString();
    }
}
