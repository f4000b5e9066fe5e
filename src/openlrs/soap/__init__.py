"""The LRS-compatible SOAP web services (LearnerService, LearnerServiceR9): another door onto the
same use cases as the REST API, for MIS clients generated from the LRS's WSDL."""
