"""What the law and trust require of the portal (issue 15, §3): the legal notice, the platform's
terms, the privacy and cookie notices, a contact form, and the town staff's editor for those
texts. The texts are Django flat pages at fixed addresses; a page the town has not written yet
shows its default text, so the footer's links never lead nowhere."""
