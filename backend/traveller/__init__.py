"""The traveller profile: the user and their companions, kept encrypted in the data folder, filled into airline
forms only by the browser layer and never shown to a model."""
