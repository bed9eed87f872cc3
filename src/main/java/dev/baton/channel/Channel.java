package dev.baton.channel;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;

/** A WhatsApp Cloud API phone number connected to a workspace. Secrets are stored sealed ({@link SecretBox}). */
@Entity
public class Channel extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "workspace_id")
    public UUID workspaceId;
    @Enumerated(EnumType.STRING)
    public ChannelType type;
    public String name;
    @Column(name = "phone_number_id")
    public String phoneNumberId;
    @Column(name = "business_account_id")
    public String businessAccountId;
    @Column(name = "graph_api_version")
    public String graphApiVersion;
    @Column(name = "access_token")
    public byte[] accessToken;
    @Column(name = "app_secret")
    public byte[] appSecret;
    @Column(name = "verify_token")
    public String verifyToken;
    public boolean active;
    @Column(name = "pace_at")
    public OffsetDateTime paceAt;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    /** The associated data a sealed secret of this channel is bound to. */
    /** The team new chats of this channel join; null = none. */
    @Column(name = "default_team_id")
    public UUID defaultTeamId;

    public static String secretContext(UUID channelId, String field) {
        return "channel:" + channelId + ":" + field;
    }

    public static String webhookPath(UUID channelId) {
        return "/api/v1/webhooks/whatsapp/" + channelId;
    }
}
