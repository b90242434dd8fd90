-- 0003_epic1_alerts: EPIC-1 Smart Alerts & Notifications, as designed (alert_rules,
-- alert_history, notification_logs) with the sync columns, and reset_daily_trigger_count.
-- Fixed from the design: notification_logs cannot reference alert_history(id) because
-- alert_history's key is (timestamp, id) (a partitioned table's unique keys must contain the
-- partition column), so it references (alert_history_timestamp, alert_history_id);
-- alert_history references alert_rules through (user_id, alert_rule_id), so a history row can
-- never point at another user's rule (foreign-key checks do not see row-level security).

-- ---------------------------------------------------------------------------------------------
-- alert_rules
-- ---------------------------------------------------------------------------------------------
CREATE TABLE alert_rules (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    -- Alert configuration
    name VARCHAR(255) NOT NULL,
    description TEXT,
    alert_type VARCHAR(50) NOT NULL CHECK (alert_type IN (
        'price_change', 'tvl_change', 'volume_spike', 'gas_price',
        'portfolio_value', 'security_risk', 'whale_movement', 'new_listing'
    )),

    -- Target
    target_type VARCHAR(50) NOT NULL CHECK (target_type IN ('protocol', 'token', 'wallet', 'chain')),
    target_id VARCHAR(255) NOT NULL, -- Protocol ID, token address, wallet address, chain ID
    chain_id INTEGER,

    -- Condition
    condition_operator VARCHAR(10) NOT NULL CHECK (condition_operator IN ('>', '<', '>=', '<=', '=', '!=')),
    threshold_value DECIMAL(30,18) NOT NULL,
    threshold_type VARCHAR(20) DEFAULT 'absolute' CHECK (threshold_type IN ('absolute', 'percentage')),
    timeframe_minutes INTEGER DEFAULT 60 CHECK (timeframe_minutes > 0), -- Check interval

    -- Notification settings
    notification_channels TEXT[] DEFAULT ARRAY['email'] CHECK (
        notification_channels <@ ARRAY['email', 'webhook', 'telegram', 'discord', 'sms']::TEXT[]),
    webhook_url VARCHAR(500),
    telegram_chat_id VARCHAR(100),
    discord_webhook_url VARCHAR(500),

    -- Throttling
    cooldown_minutes INTEGER DEFAULT 60 CHECK (cooldown_minutes >= 0),
    max_triggers_per_day INTEGER DEFAULT 10 CHECK (max_triggers_per_day > 0),
    last_triggered_at TIMESTAMP WITH TIME ZONE,
    trigger_count_today INTEGER DEFAULT 0 CHECK (trigger_count_today >= 0),
    trigger_count_total INTEGER DEFAULT 0 CHECK (trigger_count_total >= 0),

    -- Status
    is_active BOOLEAN DEFAULT true,
    is_paused BOOLEAN DEFAULT false,
    paused_until TIMESTAMP WITH TIME ZONE,

    -- Timestamps
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    deleted_at TIMESTAMP WITH TIME ZONE,
    row_version BIGINT NOT NULL DEFAULT 1,

    CONSTRAINT alert_rules_webhook_url_check CHECK (webhook_url ~ '^https://'),
    CONSTRAINT alert_rules_discord_webhook_url_check CHECK (discord_webhook_url ~ '^https://'),
    CONSTRAINT alert_rules_user_id_id_key UNIQUE (user_id, id)
);

-- Indexes
CREATE INDEX idx_alert_rules_user ON alert_rules (user_id, is_active) WHERE deleted_at IS NULL;
CREATE INDEX idx_alert_rules_type ON alert_rules (alert_type, is_active) WHERE deleted_at IS NULL;
CREATE INDEX idx_alert_rules_target ON alert_rules (target_type, target_id, is_active) WHERE deleted_at IS NULL;
CREATE INDEX idx_alert_rules_last_triggered ON alert_rules (last_triggered_at DESC) WHERE is_active = true;

-- The alert engine's counters are bookkeeping: devices see triggers through alert_history.
SELECT setup_user_table('alert_rules',
                        p_quiet_columns => ARRAY ['last_triggered_at', 'trigger_count_today',
                                                  'trigger_count_total']);

-- ---------------------------------------------------------------------------------------------
-- alert_history (time series)
-- ---------------------------------------------------------------------------------------------
SELECT create_time_series_table('alert_history', $columns$
    id UUID DEFAULT gen_random_uuid(),
    alert_rule_id UUID NOT NULL,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    -- Trigger details
    triggered_value DECIMAL(30,18) NOT NULL,
    threshold_value DECIMAL(30,18) NOT NULL,
    condition_met VARCHAR(255) NOT NULL, -- Human-readable condition

    -- Message
    title VARCHAR(255) NOT NULL,
    message TEXT NOT NULL,
    severity VARCHAR(20) DEFAULT 'info' CHECK (severity IN ('info', 'warning', 'critical')),

    -- Notification
    notification_channels TEXT[] NOT NULL CHECK (
        notification_channels <@ ARRAY['email', 'webhook', 'telegram', 'discord', 'sms']::TEXT[]),
    delivery_status JSONB, -- {email: 'sent', webhook: 'failed', ...}

    -- Metadata
    metadata JSONB, -- Additional context (price, volume, etc.)

    -- Timestamp
    timestamp TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    deleted_at TIMESTAMP WITH TIME ZONE,
    row_version BIGINT NOT NULL DEFAULT 1,

    PRIMARY KEY (timestamp, id),
    FOREIGN KEY (user_id, alert_rule_id) REFERENCES alert_rules (user_id, id) ON DELETE CASCADE
$columns$, 'timestamp', INTERVAL '7 days');

-- Indexes
CREATE INDEX idx_alert_history_rule ON alert_history (alert_rule_id, timestamp DESC);
CREATE INDEX idx_alert_history_user ON alert_history (user_id, timestamp DESC);
CREATE INDEX idx_alert_history_severity ON alert_history (severity, timestamp DESC) WHERE severity = 'critical';

SELECT setup_user_table('alert_history', p_audited => false);

-- ---------------------------------------------------------------------------------------------
-- notification_logs (time series)
-- ---------------------------------------------------------------------------------------------
SELECT create_time_series_table('notification_logs', $columns$
    id UUID DEFAULT gen_random_uuid(),
    alert_history_id UUID,
    alert_history_timestamp TIMESTAMP WITH TIME ZONE, -- with alert_history_id: alert_history's key
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,

    -- Notification details
    channel VARCHAR(50) NOT NULL CHECK (channel IN ('email', 'webhook', 'telegram', 'discord', 'sms')),
    recipient VARCHAR(255) NOT NULL, -- Email, webhook URL, chat ID, phone number

    -- Message
    subject VARCHAR(255),
    body TEXT NOT NULL,

    -- Delivery
    status VARCHAR(20) NOT NULL CHECK (status IN ('pending', 'sent', 'delivered', 'failed', 'bounced')),
    error_message TEXT,
    retry_count INTEGER DEFAULT 0 CHECK (retry_count >= 0),

    -- Provider
    provider VARCHAR(50), -- SendGrid, Twilio, Telegram API, etc.
    provider_message_id VARCHAR(255),

    -- Timestamps
    sent_at TIMESTAMP WITH TIME ZONE,
    delivered_at TIMESTAMP WITH TIME ZONE,
    timestamp TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    deleted_at TIMESTAMP WITH TIME ZONE,
    row_version BIGINT NOT NULL DEFAULT 1,

    PRIMARY KEY (timestamp, id),
    CONSTRAINT notification_logs_alert_key_check CHECK (
        (alert_history_id IS NULL) = (alert_history_timestamp IS NULL))
$columns$, 'timestamp', INTERVAL '7 days');

-- TimescaleDB (before 2.16) cannot reference a hypertable; there the pair stays unenforced.
DO $$
BEGIN
    IF NOT extension_installed('timescaledb') THEN
        ALTER TABLE notification_logs
            ADD CONSTRAINT notification_logs_alert_history_fkey
                FOREIGN KEY (alert_history_timestamp, alert_history_id)
                    REFERENCES alert_history (timestamp, id) ON DELETE CASCADE;
    END IF;
END
$$;

-- Indexes
CREATE INDEX idx_notification_logs_alert ON notification_logs (alert_history_id, timestamp DESC);
CREATE INDEX idx_notification_logs_user ON notification_logs (user_id, timestamp DESC);
CREATE INDEX idx_notification_logs_status ON notification_logs (status, timestamp DESC) WHERE status = 'failed';
CREATE INDEX idx_notification_logs_channel ON notification_logs (channel, timestamp DESC);
-- Lets deleting an alert_history row find its notifications through the foreign key.
CREATE INDEX idx_notification_logs_alert_key ON notification_logs (alert_history_timestamp, alert_history_id)
    WHERE alert_history_id IS NOT NULL;

SELECT setup_user_table('notification_logs', p_audited => false);

-- ---------------------------------------------------------------------------------------------
-- reset_daily_trigger_count (the design's; scheduled daily by 0011 when pg_cron is present)
-- Fixed: "day" is the UTC day (DATE(timestamptz) depends on the session's time zone); rules
-- already at 0 are not rewritten; SECURITY DEFINER because it updates every user's rules.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION reset_daily_trigger_count()
RETURNS void AS $$
BEGIN
    UPDATE alert_rules
    SET trigger_count_today = 0
    WHERE trigger_count_today <> 0
      AND (last_triggered_at IS NULL
           OR (last_triggered_at AT TIME ZONE 'UTC')::date < (NOW() AT TIME ZONE 'UTC')::date);
END;
$$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp;

GRANT EXECUTE ON FUNCTION reset_daily_trigger_count() TO llamadesk_jobs, admin_role;
