package dev.baton.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The reader's position is PostgreSQL's snapshot text; transaction ids going backwards mean a failed-over database. */
class LogPositionTests {

    @Test
    void shouldReadTheSnapshotsXmax() {
        assertEquals(910, LogPosition.parse("900:910:901,905").xmax());
        assertEquals(910, LogPosition.parse("910:910:").xmax());
    }

    @Test
    void shouldSeeADatabaseWhoseTransactionIdsWentBackwards() {
        LogPosition read = LogPosition.parse("900:910:901,905");
        assertTrue(LogPosition.parse("850:860:").before(read), "a promoted replica that had not replayed 860..909");
        assertFalse(LogPosition.parse("900:910:901").before(read), "the same point, a transaction finished since");
        assertFalse(LogPosition.parse("905:2000:").before(read), "later");
    }

    @Test
    void shouldRefuseWhatIsNotASnapshot() {
        assertThrows(IllegalArgumentException.class, () -> LogPosition.parse("910"));
    }
}
