-- A person's chosen language ("ja" / "en"; NULL until they choose = Japanese), so that the mails and reminders the app
-- sends on its own speak it. Set by the language switch and PUT /api/v1/talk/preferences. See Shared/Languages.cs.

ALTER TABLE "AspNetUsers" ADD "Language" character varying(8);
