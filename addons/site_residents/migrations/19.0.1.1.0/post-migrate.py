"""National IDs are no longer tracked: forget the numbers the chatter kept."""


def migrate(cr, version):
    cr.execute(
        """
        SELECT DISTINCT t.mail_message_id
          FROM mail_tracking_value t
          JOIN ir_model_fields f ON f.id = t.field_id
         WHERE f.model = 'res.partner' AND f.name = 'national_id'
        """
    )
    message_ids = tuple(row[0] for row in cr.fetchall())
    if not message_ids:
        return
    cr.execute(
        """
        DELETE FROM mail_tracking_value t
         USING ir_model_fields f
         WHERE f.id = t.field_id AND f.model = 'res.partner' AND f.name = 'national_id'
        """
    )
    # A change of the number alone leaves an empty message behind: remove it too.
    cr.execute(
        """
        DELETE FROM mail_message m
         WHERE m.id IN %s
           AND COALESCE(m.body, '') = ''
           AND NOT EXISTS (SELECT 1 FROM mail_tracking_value t WHERE t.mail_message_id = m.id)
        """,
        [message_ids],
    )
