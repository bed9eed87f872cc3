package dev.baton.chat;

import static dev.baton.chat.ChatStatus.INTERVENED;
import static dev.baton.chat.ChatStatus.OPEN;
import static dev.baton.chat.ChatStatus.REQUESTING;
import static dev.baton.chat.ChatStatus.RESOLVED;
import static dev.baton.chat.CustodyAction.INTERVENE;
import static dev.baton.chat.CustodyAction.RELEASE;
import static dev.baton.chat.CustodyAction.REOPEN;
import static dev.baton.chat.CustodyAction.RESOLVE;
import static dev.baton.chat.CustodyAction.TAKEOVER;
import static dev.baton.chat.CustodyAction.TRANSFER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.baton.agent.Availability;
import dev.baton.agent.Role;
import dev.baton.chat.Custody.Notice;
import dev.baton.common.Refusal;

/**
 * The custody rules of PRODUCT.md, cell by cell: every status x requested action x role x holder
 * relation, and for every allowed cell who is told what (README's WebSocket table: the new holder
 * gets chat.assigned, the previous one chat.revoked with its reason, the staff chat.queued when the
 * chat enters the queue, supervisors always chat.updated). The table below is written from
 * PRODUCT.md's transition and permission tables (and Custody's documented check order where several
 * refusals apply), not from the implementation.
 */
class CustodyTests {

    private static final UUID CALLER = UUID.randomUUID();
    private static final UUID OTHER = UUID.randomUUID();
    private static final UUID TARGET = UUID.randomUUID();
    private static final Custody.Target ONLINE_TARGET = new Custody.Target(TARGET, true, Availability.ONLINE);

    /** Who holds the chat before the request, seen from the caller. */
    enum Holder {
        NONE, CALLER, OTHER;

        UUID id() {
            return switch (this) {
                case NONE -> null;
                case CALLER -> CustodyTests.CALLER;
                case OTHER -> CustodyTests.OTHER;
            };
        }
    }

    /** A person in an expected outcome. */
    enum Who {
        NOBODY, CALLER, OTHER, TARGET;

        UUID id() {
            return switch (this) {
                case NOBODY -> null;
                case CALLER -> CustodyTests.CALLER;
                case OTHER -> CustodyTests.OTHER;
                case TARGET -> CustodyTests.TARGET;
            };
        }
    }

    /** One expected notice: who is told, and for a revocation why. */
    record Told(String kind, Who who, RevocationReason reason) {
        Notice notice() {
            return switch (kind) {
                case "assigned" -> new Notice.Assigned(who.id());
                case "revoked" -> new Notice.Revoked(who.id(), reason);
                case "queued" -> new Notice.Queued();
                default -> new Notice.Updated();
            };
        }

        @Override
        public String toString() {
            return kind + (who == null ? "" : " " + who) + (reason == null ? "" : " " + reason);
        }
    }

    private static Told assigned(Who who) {
        return new Told("assigned", who, null);
    }

    private static Told revoked(Who who, RevocationReason reason) {
        return new Told("revoked", who, reason);
    }

    private static final Told QUEUED = new Told("queued", null, null);
    private static final Told UPDATED = new Told("updated", null, null);

    /** An expected cell: either a decision (status, holder, who is told what) or a refusal. */
    record Expect(ChatStatus status, Who holder, List<Told> told, Refusal.Code refusal) {
        @Override
        public String toString() {
            return refusal == null ? "-> " + status + " holder=" + holder + " told=" + told : "refused " + refusal.id();
        }
    }

    record Row(ChatStatus status, Holder holder, CustodyAction action, Expect owner, Expect manager, Expect agent) {
        Expect expected(Role role) {
            return switch (role) {
                case OWNER -> owner;
                case MANAGER -> manager;
                case AGENT -> agent;
            };
        }
    }

    private static Expect ok(ChatStatus status, Who holder, Told... told) {
        return new Expect(status, holder, List.of(told), null);
    }

    private static Expect refused(Refusal.Code code) {
        return new Expect(null, null, null, code);
    }

    private static final Expect INVALID = refused(Refusal.Code.INVALID_TRANSITION);
    private static final Expect SAME_HOLDER = refused(Refusal.Code.SAME_HOLDER);
    private static final Expect FORBIDDEN = refused(Refusal.Code.FORBIDDEN);
    private static final Expect NOT_HOLDER = refused(Refusal.Code.NOT_CHAT_HOLDER);

    private static Row row(ChatStatus status, Holder holder, CustodyAction action, Expect supervisors, Expect agent) {
        return new Row(status, holder, action, supervisors, supervisors, agent);
    }

    private static Row row(ChatStatus status, Holder holder, CustodyAction action, Expect everyone) {
        return new Row(status, holder, action, everyone, everyone, everyone);
    }

    // The transfer target in these rows is an active, ONLINE third agent; target edge cases are tested below.
    private static final List<Row> TABLE = List.of(
            // OPEN and REQUESTING: nobody holds the chat, so nobody loses it.
            row(OPEN, Holder.NONE, INTERVENE, ok(INTERVENED, Who.CALLER, assigned(Who.CALLER), UPDATED)),
            row(OPEN, Holder.NONE, TAKEOVER, INVALID, FORBIDDEN),
            row(OPEN, Holder.NONE, TRANSFER, ok(INTERVENED, Who.TARGET, assigned(Who.TARGET), UPDATED), NOT_HOLDER),
            row(OPEN, Holder.NONE, RELEASE, INVALID),
            row(OPEN, Holder.NONE, RESOLVE, ok(RESOLVED, Who.NOBODY, UPDATED), NOT_HOLDER),
            row(OPEN, Holder.NONE, REOPEN, INVALID),
            row(REQUESTING, Holder.NONE, INTERVENE, ok(INTERVENED, Who.CALLER, assigned(Who.CALLER), UPDATED)),
            row(REQUESTING, Holder.NONE, TAKEOVER, INVALID, FORBIDDEN),
            row(REQUESTING, Holder.NONE, TRANSFER, ok(INTERVENED, Who.TARGET, assigned(Who.TARGET), UPDATED), NOT_HOLDER),
            row(REQUESTING, Holder.NONE, RELEASE, INVALID),
            row(REQUESTING, Holder.NONE, RESOLVE, ok(RESOLVED, Who.NOBODY, UPDATED), NOT_HOLDER),
            row(REQUESTING, Holder.NONE, REOPEN, INVALID),
            // INTERVENED, held by the caller.
            row(INTERVENED, Holder.CALLER, INTERVENE, INVALID),
            row(INTERVENED, Holder.CALLER, TAKEOVER, SAME_HOLDER, FORBIDDEN),
            row(INTERVENED, Holder.CALLER, TRANSFER,
                    ok(INTERVENED, Who.TARGET, revoked(Who.CALLER, RevocationReason.TRANSFERRED), assigned(Who.TARGET), UPDATED)),
            row(INTERVENED, Holder.CALLER, RELEASE,
                    ok(REQUESTING, Who.NOBODY, revoked(Who.CALLER, RevocationReason.RELEASED), QUEUED, UPDATED)),
            row(INTERVENED, Holder.CALLER, RESOLVE, ok(RESOLVED, Who.NOBODY, revoked(Who.CALLER, RevocationReason.RESOLVED), UPDATED)),
            row(INTERVENED, Holder.CALLER, REOPEN, INVALID),
            // INTERVENED, held by someone else: an AGENT may do nothing with it.
            row(INTERVENED, Holder.OTHER, INTERVENE, INVALID, NOT_HOLDER),
            row(INTERVENED, Holder.OTHER, TAKEOVER,
                    ok(INTERVENED, Who.CALLER, revoked(Who.OTHER, RevocationReason.TAKEN_OVER), assigned(Who.CALLER), UPDATED), FORBIDDEN),
            row(INTERVENED, Holder.OTHER, TRANSFER,
                    ok(INTERVENED, Who.TARGET, revoked(Who.OTHER, RevocationReason.TRANSFERRED), assigned(Who.TARGET), UPDATED), NOT_HOLDER),
            row(INTERVENED, Holder.OTHER, RELEASE,
                    ok(REQUESTING, Who.NOBODY, revoked(Who.OTHER, RevocationReason.RELEASED), QUEUED, UPDATED), NOT_HOLDER),
            row(INTERVENED, Holder.OTHER, RESOLVE,
                    ok(RESOLVED, Who.NOBODY, revoked(Who.OTHER, RevocationReason.RESOLVED), UPDATED), NOT_HOLDER),
            row(INTERVENED, Holder.OTHER, REOPEN, INVALID, NOT_HOLDER),
            // RESOLVED: only reopen.
            row(RESOLVED, Holder.NONE, INTERVENE, INVALID),
            row(RESOLVED, Holder.NONE, TAKEOVER, INVALID, FORBIDDEN),
            row(RESOLVED, Holder.NONE, TRANSFER, INVALID),
            row(RESOLVED, Holder.NONE, RELEASE, INVALID),
            row(RESOLVED, Holder.NONE, RESOLVE, INVALID),
            row(RESOLVED, Holder.NONE, REOPEN, ok(OPEN, Who.NOBODY, UPDATED)));

    @Test
    void shouldCoverEveryStatusActionAndConsistentHolderExactlyOnce() {
        Set<List<Object>> expected = new HashSet<>();
        for (ChatStatus status : ChatStatus.values()) {
            List<Holder> holders = status == INTERVENED ? List.of(Holder.CALLER, Holder.OTHER) : List.of(Holder.NONE);
            for (Holder holder : holders) {
                for (CustodyAction action : CustodyAction.values()) {
                    expected.add(List.of(status, holder, action));
                }
            }
        }
        List<List<Object>> covered = new ArrayList<>();
        TABLE.forEach(r -> covered.add(List.of(r.status(), r.holder(), r.action())));
        assertEquals(expected.size(), covered.size(), "the table has a duplicate or missing row");
        assertEquals(expected, new HashSet<>(covered));
    }

    @TestFactory
    Stream<DynamicTest> shouldDecideEveryCellOfTheTransitionTable() {
        return TABLE.stream().flatMap(row -> Stream.of(Role.values()).map(role -> {
            Expect expect = row.expected(role);
            String name = role + " " + row.action() + " on " + row.status() + " (holder " + row.holder() + ") " + expect;
            return DynamicTest.dynamicTest(name, () -> assertCell(row, role, expect));
        }));
    }

    private static void assertCell(Row row, Role role, Expect expect) {
        Custody.Target target = row.action() == TRANSFER ? ONLINE_TARGET : null;
        assertDecides(expect, row.holder(), row.action().change(),
                () -> Custody.decide(row.status(), row.holder().id(), new Custody.Actor(CALLER, role), row.action(), target, false));
    }

    /** The decision (status, holder, ledger entry from the old holder to the new, notices in order) or the refusal. */
    private static void assertDecides(Expect expect, Holder before, CustodyChange change, Supplier<Custody.Decision> decide) {
        if (expect.refusal() != null) {
            Refusal refusal = assertThrows(Refusal.class, decide::get);
            assertEquals(expect.refusal(), refusal.code(), refusal.getMessage());
            return;
        }
        UUID holder = expect.holder().id();
        List<Notice> notices = expect.told().stream().map(Told::notice).toList();
        assertEquals(new Custody.Decision(expect.status(), holder, new Custody.LedgerEntry(change, before.id(), holder), notices),
                decide.get());
    }

    private static Custody.Decision transferBy(Role role, Holder holder, Custody.Target target, boolean force) {
        ChatStatus status = holder == Holder.NONE ? REQUESTING : INTERVENED;
        return Custody.decide(status, holder.id(), new Custody.Actor(CALLER, role), TRANSFER, target, force);
    }

    /** A transfer whose target is the point: who asks, who holds the chat, the target, force, and what must come out. */
    record TargetCase(String name, Set<Role> roles, Holder holder, Custody.Target target, boolean force, Expect expect) {
    }

    private static final Set<Role> EVERYONE = EnumSet.allOf(Role.class);
    private static final Set<Role> SUPERVISORS = EnumSet.of(Role.OWNER, Role.MANAGER);

    private static final List<TargetCase> TARGET_CASES = List.of(
            new TargetCase("missing target", EVERYONE, Holder.CALLER, null, false,
                    refused(Refusal.Code.AGENT_NOT_FOUND)),
            new TargetCase("inactive target, even with force", EVERYONE, Holder.CALLER,
                    new Custody.Target(TARGET, false, Availability.ONLINE), true, refused(Refusal.Code.AGENT_NOT_FOUND)),
            new TargetCase("target is the caller who holds the chat", EVERYONE, Holder.CALLER,
                    new Custody.Target(CALLER, true, Availability.ONLINE), false, SAME_HOLDER),
            new TargetCase("target is the other agent who holds the chat", SUPERVISORS, Holder.OTHER,
                    new Custody.Target(OTHER, true, Availability.OFFLINE), false, SAME_HOLDER),
            new TargetCase("OFFLINE target without force", EVERYONE, Holder.CALLER,
                    new Custody.Target(TARGET, true, Availability.OFFLINE), false, refused(Refusal.Code.AGENT_OFFLINE)),
            new TargetCase("OFFLINE target with force", EVERYONE, Holder.CALLER,
                    new Custody.Target(TARGET, true, Availability.OFFLINE), true,
                    ok(INTERVENED, Who.TARGET, revoked(Who.CALLER, RevocationReason.TRANSFERRED), assigned(Who.TARGET), UPDATED)),
            new TargetCase("BUSY target without force", EVERYONE, Holder.CALLER,
                    new Custody.Target(TARGET, true, Availability.BUSY), false,
                    ok(INTERVENED, Who.TARGET, revoked(Who.CALLER, RevocationReason.TRANSFERRED), assigned(Who.TARGET), UPDATED)),
            new TargetCase("unheld chat to the supervisor themselves", SUPERVISORS, Holder.NONE,
                    new Custody.Target(CALLER, true, Availability.ONLINE), false, ok(INTERVENED, Who.CALLER, assigned(Who.CALLER), UPDATED)),
            new TargetCase("an agent's transfer of a chat it does not hold, before the target", EnumSet.of(Role.AGENT), Holder.OTHER,
                    null, false, NOT_HOLDER),
            new TargetCase("an agent's transfer of an unheld chat, before the target", EnumSet.of(Role.AGENT), Holder.NONE,
                    null, false, NOT_HOLDER));

    @TestFactory
    Stream<DynamicTest> shouldCheckTheTransferTarget() {
        return TARGET_CASES.stream().flatMap(c -> c.roles().stream().map(role -> DynamicTest.dynamicTest(
                role + ": " + c.name() + " " + c.expect(),
                () -> assertDecides(c.expect(), c.holder(), CustodyChange.TRANSFER, () -> transferBy(role, c.holder(), c.target(), c.force())))));
    }

    @Test
    void shouldReopenAResolvedChatOnACustomerMessageAndTellTheSupervisors() {
        assertDecides(ok(OPEN, Who.NOBODY, UPDATED), Holder.NONE, CustodyChange.REOPEN, () -> Custody.inbound(RESOLVED, false));
    }

    @Test
    void shouldQueueAResolvedChatOnACustomerMessageAskingForAHumanAndTellTheStaff() {
        assertDecides(ok(REQUESTING, Who.NOBODY, QUEUED, UPDATED), Holder.NONE, CustodyChange.REOPEN, () -> Custody.inbound(RESOLVED, true));
    }

    @Test
    void shouldQueueAnOpenChatOnHandoffAndTellTheStaff() {
        assertDecides(ok(REQUESTING, Who.NOBODY, QUEUED, UPDATED), Holder.NONE, CustodyChange.HANDOFF, () -> Custody.inbound(OPEN, true));
    }

    @Test
    void shouldLeaveCustodyAloneOnOtherCustomerMessages() {
        assertNull(Custody.inbound(OPEN, false));
        for (ChatStatus status : List.of(REQUESTING, INTERVENED)) {
            assertNull(Custody.inbound(status, false), status + " without handoff");
            assertNull(Custody.inbound(status, true), status + " with handoff");
        }
    }

    @Test
    void shouldQueueAHeldChatWhenItsHolderIsDeactivatedAndTellTheHolderWhy() {
        assertDecides(ok(REQUESTING, Who.NOBODY, revoked(Who.OTHER, RevocationReason.DEACTIVATED), QUEUED, UPDATED), Holder.OTHER,
                CustodyChange.DEACTIVATE, () -> Custody.deactivate(INTERVENED, OTHER));
    }

    @ParameterizedTest
    @EnumSource(value = ChatStatus.class, names = { "OPEN", "REQUESTING", "RESOLVED" })
    void shouldNotDeactivateTheHolderOfAnUnheldChat(ChatStatus status) {
        assertThrows(IllegalStateException.class, () -> Custody.deactivate(status, null));
    }
}
