//! Sending through an SMTP server with lettre.
//!
//! `SMTP_URL` takes lettre's connection URLs: `smtp://127.0.0.1:1025` (plain,
//! a local test server), `smtp://user:pass@host:587?tls=required`
//! (STARTTLS), `smtps://user:pass@host:465` (TLS).

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment as MailAttachment, Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::EmailMessage;
use crate::outbox::delivery::Delivery;

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    pub fn new(smtp_url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|error| format!("SMTP_URL is not a usable SMTP address: {error}"))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from =
            from.parse().map_err(|error| format!("MAIL_FROM is not an address like `Name <a@b.org>`: {error}"))?;
        Ok(SmtpMailer { transport, from })
    }

    fn build(&self, message: &EmailMessage) -> Result<Message, Delivery> {
        let to = Mailbox::new(
            message.to_name.clone(),
            message.to.parse().map_err(|error| Delivery::Permanent(format!("bad recipient address: {error}")))?,
        );
        let body = MultiPart::alternative_plain_html(message.text.clone(), message.html.clone());
        let body = if message.attachments.is_empty() {
            body
        } else {
            message.attachments.iter().fold(MultiPart::mixed().multipart(body), |mixed, attachment| {
                let content_type = ContentType::parse(attachment.content_type).unwrap_or(ContentType::TEXT_PLAIN);
                mixed.singlepart(
                    MailAttachment::new(attachment.file_name.clone()).body(attachment.content.clone(), content_type),
                )
            })
        };
        let mut builder = Message::builder().from(self.from.clone()).to(to).subject(message.subject.clone());
        if let Some(url) = &message.unsubscribe_url {
            // RFC 2369 and RFC 8058: mail apps show an unsubscribe button that
            // posts to the URL without opening it.
            builder = builder
                .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{url}>")))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        builder.multipart(body).map_err(|error| Delivery::Permanent(format!("could not build the message: {error}")))
    }
}

impl SmtpMailer {
    /// Sends one message: `Sent` with the server's reply, or why not.
    pub async fn send(&self, message: &EmailMessage) -> Delivery {
        let built = match self.build(message) {
            Ok(built) => built,
            Err(refused) => return refused,
        };
        match self.transport.send(built).await {
            Ok(response) => {
                Delivery::Sent(format!("{} {}", response.code(), response.message().collect::<Vec<_>>().join(" ")))
            }
            Err(error) if error.is_permanent() => Delivery::Permanent(error.to_string()),
            // 4xx answers, refused connections, timeouts: the server may be back soon.
            Err(error) => Delivery::Transient(error.to_string()),
        }
    }
}
